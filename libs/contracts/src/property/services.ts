import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEnum,
  IsInt,
  IsISO8601,
  IsMongoId,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { PageQueryDto } from '../common/pagination';
import { OptionalNestedObject } from '../common/validation';
import type { InCommunity } from '../grid/subjects';
import { event } from '../events';
import { rpc } from '../rpc';

/** A survey or evaluation period: a month (2025-06) or a quarter (2025-Q2). */
export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/;

export class PartyBranchDto {
  @ApiProperty({ example: 'Party branch of Green Harbour Property Services' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ example: 'Li Wei' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  secretary?: string;

  @ApiPropertyOptional({ example: 12, description: 'Party members in the branch' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  members?: number;
}

export class CreatePropertyCompanyDto {
  @ApiProperty({ example: 'Green Harbour Property Services Co., Ltd.' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiProperty({ example: '91310104MA1FL2XX3K', description: 'Unified social credit code (统一社会信用代码), 18 characters' })
  @Matches(/^[0-9A-HJ-NP-RT-UW-Y]{18}$/, { message: 'creditCode must be an 18-character unified social credit code' })
  creditCode: string;

  @ApiPropertyOptional({ type: PartyBranchDto, description: "The company's party branch, if it has one" })
  @OptionalNestedObject(() => PartyBranchDto)
  partyBranch?: PartyBranchDto;
}

export class RecordServiceContractDto {
  @ApiProperty({ description: 'The property company' })
  @IsMongoId()
  companyId: string;

  @ApiProperty({ example: '2025-01-01', description: 'First day of service (inclusive)' })
  @IsISO8601({ strict: true })
  startsOn: string;

  @ApiProperty({ example: '2027-12-31', description: 'Last day of service (inclusive)' })
  @IsISO8601({ strict: true })
  endsOn: string;
}

export enum ProgrammeKind {
  ElderlyCareVisits = 'elderly_care_visits',
  Handyman = 'handyman',
  Cleaning = 'cleaning',
  Greening = 'greening',
  Other = 'other',
}

export class CreateServiceProgrammeDto {
  @ApiProperty({ example: 'Weekly visits to elderly residents living alone' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiProperty({ enum: ProgrammeKind })
  @IsEnum(ProgrammeKind)
  kind: ProgrammeKind;

  @ApiPropertyOptional({ example: 'Every Tuesday 9:00-11:00' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  schedule?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}

export class PartyBranchView {
  @ApiProperty() name: string;
  @ApiPropertyOptional() secretary?: string;
  @ApiPropertyOptional() members?: number;
}

export class PropertyCompanyView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() creditCode: string;
  @ApiPropertyOptional({ type: PartyBranchView }) partyBranch?: PartyBranchView;
  @ApiProperty() createdAt: string;
}

export class ServiceContractView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty() companyId: string;
  @ApiProperty() companyName: string;
  @ApiProperty({ example: '2025-01-01' }) startsOn: string;
  @ApiProperty({ example: '2027-12-31' }) endsOn: string;
  @ApiProperty() recordedBy: string;
}

export class ServiceContractPage {
  @ApiProperty({ type: [ServiceContractView] }) items: ServiceContractView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class ServiceProgrammeView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty() companyId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ProgrammeKind }) kind: ProgrammeKind;
  @ApiPropertyOptional() schedule?: string;
  @ApiPropertyOptional() description?: string;
}

export class ServiceProgrammePage {
  @ApiProperty({ type: [ServiceProgrammeView] }) items: ServiceProgrammeView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class CommunityPropertyServiceView {
  @ApiProperty({ type: PropertyCompanyView }) company: PropertyCompanyView;
  @ApiProperty({ type: ServiceContractView }) contract: ServiceContractView;
  @ApiProperty({ type: [ServiceProgrammeView] }) programmes: ServiceProgrammeView[];
}

export enum ServiceRequestCategory {
  Repair = 'repair',
  Cleaning = 'cleaning',
  Security = 'security',
  Other = 'other',
}

export enum ServiceRequestStatus {
  Open = 'open',
  Accepted = 'accepted',
  InProgress = 'in_progress',
  Resolved = 'resolved',
  /** Rated by the resident, or closed by staff when nobody can rate. */
  Closed = 'closed',
  Cancelled = 'cancelled',
}

export enum ServiceRequestAction {
  Accept = 'accept',
  Start = 'start',
  Resolve = 'resolve',
  /** The resident is not satisfied with the resolution: work starts again. */
  Reopen = 'reopen',
  Close = 'close',
  Cancel = 'cancel',
}

export enum ServiceRequestOrigin {
  Resident = 'resident',
  GridCase = 'grid_case',
}

export class OpenServiceRequestDto {
  @ApiProperty({ enum: ServiceRequestCategory })
  @IsEnum(ServiceRequestCategory)
  category: ServiceRequestCategory;

  @ApiProperty({ example: 'The kitchen tap leaks under the sink' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  description: string;
}

export class ServiceRequestStepDto {
  @ApiProperty({ enum: ServiceRequestAction })
  @IsEnum(ServiceRequestAction)
  action: ServiceRequestAction;

  @ApiPropertyOptional({ description: 'The version the caller saw; a stale one is 409 CONFLICT' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @ApiPropertyOptional({ example: 'Zhang, plumber', description: 'Who handles it (on accept)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  handler?: string;

  @ApiPropertyOptional({ example: 'Replaced the tap washer' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class RateServiceRequestDto {
  @ApiProperty({ minimum: 1, maximum: 5, description: '1 very dissatisfied … 5 very satisfied' })
  @IsInt()
  @Min(1)
  @Max(5)
  score: number;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  comment?: string;

  @ApiPropertyOptional({ description: 'The version the caller saw; a stale one is 409 CONFLICT' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ServiceRequestListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ServiceRequestStatus })
  @IsOptional()
  @IsEnum(ServiceRequestStatus)
  status?: ServiceRequestStatus;
}

export class ServiceRequestStepView {
  @ApiProperty({ enum: ServiceRequestAction, description: '`open` for the first entry' }) action: string;
  @ApiPropertyOptional({ enum: ServiceRequestStatus }) from?: ServiceRequestStatus;
  @ApiProperty({ enum: ServiceRequestStatus }) to: ServiceRequestStatus;
  @ApiProperty() by: string;
  @ApiProperty() at: string;
  @ApiPropertyOptional() note?: string;
}

export class ServiceRatingView {
  @ApiProperty() score: number;
  @ApiPropertyOptional() comment?: string;
  @ApiProperty() ratedAt: string;
}

export class ServiceRequestView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty({ enum: ServiceRequestOrigin }) origin: ServiceRequestOrigin;
  @ApiPropertyOptional({ description: "The grid case it was opened from" }) caseId?: string;
  @ApiProperty({ enum: ServiceRequestCategory }) category: ServiceRequestCategory;
  @ApiProperty() description: string;
  @ApiPropertyOptional() unitId?: string;
  @ApiPropertyOptional() buildingId?: string;
  @ApiPropertyOptional() requesterPersonId?: string;
  @ApiPropertyOptional({ description: 'The company under contract when it was opened' }) companyId?: string;
  @ApiProperty({ enum: ServiceRequestStatus }) status: ServiceRequestStatus;
  @ApiProperty({ description: 'Increases with every step; send it back to guard against concurrent changes' }) version: number;
  @ApiPropertyOptional() handler?: string;
  @ApiProperty() openedAt: string;
  @ApiProperty({ description: 'Deadline to accept' }) acceptBy: string;
  @ApiProperty({ description: 'Deadline to resolve' }) resolveBy: string;
  @ApiProperty({ description: 'A deadline has passed without the step it asks for' }) overdue: boolean;
  @ApiPropertyOptional() resolvedAt?: string;
  @ApiPropertyOptional({ description: 'Resolved by the deadline; set once resolved' }) resolvedOnTime?: boolean;
  @ApiPropertyOptional({ type: ServiceRatingView }) rating?: ServiceRatingView;
  @ApiProperty({ type: [ServiceRequestStepView] }) history: ServiceRequestStepView[];
}

export class ServiceRequestPage {
  @ApiProperty({ type: [ServiceRequestView] }) items: ServiceRequestView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export enum SurveyStatus {
  Open = 'open',
  Closed = 'closed',
}

export class OpenSurveyDto {
  @ApiProperty({ example: '2025-Q2', description: 'A month (2025-06) or a quarter (2025-Q2)' })
  @Matches(PERIOD_PATTERN, { message: 'period must be a month (2025-06) or a quarter (2025-Q2)' })
  period: string;

  @ApiPropertyOptional({ description: 'Defaults to the company under contract at the end of the period' })
  @IsOptional()
  @IsMongoId()
  companyId?: string;
}

export class SurveyResponseDto {
  @ApiProperty({ minimum: 1, maximum: 5, description: '1 very dissatisfied … 5 very satisfied' })
  @IsInt()
  @Min(1)
  @Max(5)
  score: number;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  comment?: string;
}

export class SurveyView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty() companyId: string;
  @ApiProperty({ example: '2025-Q2' }) period: string;
  @ApiProperty({ enum: SurveyStatus }) status: SurveyStatus;
  @ApiProperty() openedAt: string;
  @ApiPropertyOptional() closedAt?: string;
}

export class SurveyReceipt {
  @ApiProperty() surveyId: string;
  @ApiProperty() buildingId: string;
  @ApiProperty() score: number;
  @ApiProperty() respondedAt: string;
}

export class SatisfactionFigures {
  @ApiProperty() responses: number;
  @ApiProperty({ example: '4.25', description: 'Mean score out of 5, rounded down to two decimals' }) averageScore: string;
  @ApiProperty({ example: '80.00', description: 'Percent of responses scoring 4 or 5, rounded down' }) satisfiedPercent: string;
}

export class BuildingSatisfaction extends SatisfactionFigures {
  @ApiProperty() buildingId: string;
}

export class SurveyResultsView {
  @ApiProperty({ type: SurveyView }) survey: SurveyView;
  @ApiProperty({ type: SatisfactionFigures }) overall: SatisfactionFigures;
  @ApiProperty({ type: [BuildingSatisfaction], description: 'Least satisfied building first' }) buildings: BuildingSatisfaction[];
}

export class EvaluationComponentView {
  @ApiProperty({ enum: ['satisfaction', 'timeliness', 'ratings'] }) name: string;
  @ApiProperty({ description: 'Weight in percent' }) weight: number;
  @ApiProperty({ example: '85.00', description: 'Score out of 100, rounded down' }) score: string;
  @ApiProperty({ description: 'What the score was computed from' }) basis: string;
}

export class CompanyEvaluationView {
  @ApiProperty() communityId: string;
  @ApiProperty() companyId: string;
  @ApiProperty({ example: '2025-Q2' }) period: string;
  @ApiProperty({ type: [EvaluationComponentView], description: 'Only components with data; their weights are rescaled to 100' })
  components: EvaluationComponentView[];
  @ApiPropertyOptional({ example: '82.50', description: 'Weighted score out of 100; absent without any data' }) score?: string;
  @ApiPropertyOptional({ enum: ['A', 'B', 'C', 'D'], description: 'A from 90, B from 75, C from 60, else D' }) grade?: string;
  @ApiProperty() requestsOpened: number;
  @ApiProperty() requestsResolved: number;
  @ApiProperty() requestsResolvedOnTime: number;
  @ApiProperty() ratings: number;
  @ApiProperty() surveyResponses: number;
}

type OfCompany = InCommunity & { companyId: string };
type OfRequest = InCommunity & { requestId: string };
type OfSurvey = InCommunity & { surveyId: string };

export const PropertyServiceRpc = {
  createCompany: rpc<{ company: CreatePropertyCompanyDto }, PropertyCompanyView>('property.companies.create'),
  getCompany: rpc<{ companyId: string }, PropertyCompanyView>('property.companies.get'),
  recordContract: rpc<InCommunity & { contract: RecordServiceContractDto }, ServiceContractView>('property.contracts.record'),
  listContracts: rpc<InCommunity & { page: PageQueryDto }, ServiceContractPage>('property.contracts.list'),
  currentService: rpc<InCommunity, CommunityPropertyServiceView>('property.contracts.current'),
  createProgramme: rpc<InCommunity & { programme: CreateServiceProgrammeDto }, ServiceProgrammeView>('property.programmes.create'),
  listProgrammes: rpc<InCommunity & { page: PageQueryDto }, ServiceProgrammePage>('property.programmes.list'),
  evaluateCompany: rpc<OfCompany & { period: string }, CompanyEvaluationView>('property.companies.evaluate'),
  openRequest: rpc<InCommunity & { request: OpenServiceRequestDto }, ServiceRequestView>('property.service-requests.open'),
  getRequest: rpc<OfRequest, ServiceRequestView>('property.service-requests.get'),
  listRequests: rpc<InCommunity & { query: ServiceRequestListQueryDto }, ServiceRequestPage>('property.service-requests.list'),
  stepRequest: rpc<OfRequest & { step: ServiceRequestStepDto }, ServiceRequestView>('property.service-requests.step'),
  rateRequest: rpc<OfRequest & { rating: RateServiceRequestDto }, ServiceRequestView>('property.service-requests.rate'),
  openSurvey: rpc<InCommunity & { survey: OpenSurveyDto }, SurveyView>('property.surveys.open'),
  respondToSurvey: rpc<OfSurvey & { response: SurveyResponseDto }, SurveyReceipt>('property.surveys.respond'),
  closeSurvey: rpc<OfSurvey, SurveyView>('property.surveys.close'),
  surveyResults: rpc<OfSurvey, SurveyResultsView>('property.surveys.results'),
} as const;

/** The company resolved a service request; a request opened from a grid case names it, so grid moves the case on. */
export interface ServiceRequestResolvedData {
  requestId: string;
  caseId?: string;
  resolvedAt: string;
  handler?: string;
  note?: string;
}

export const PropertyServiceEvents = {
  serviceRequestResolved: event<ServiceRequestResolvedData>('evt.property.service-request.resolved'),
} as const;
