import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsEnum,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PageQueryDto } from '../common/pagination';
import type { InCommunity } from '../grid/subjects';
import { rpc } from '../rpc';
import { HOURS_PATTERN } from './volunteers';

const DATE = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;

export enum PartyMemberStatus {
  InService = 'in_service',
  Retired = 'retired',
}

/** Dual registration (双报到) of an in-service member with the residential community. */
export enum DualRegistrationStatus {
  None = 'none',
  Requested = 'requested',
  Approved = 'approved',
  Rejected = 'rejected',
}

export enum ServicePost {
  BuildingDuty = 'building_duty',
  CaseHandling = 'case_handling',
  MicroWish = 'micro_wish',
  ActivityVolunteer = 'activity_volunteer',
}

export enum ServiceKind {
  /** A micro-wish the member claimed and fulfilled, from activities. */
  MicroWish = 'micro_wish',
  /** Hours in the volunteer ledger (shifts, cases, staff entries, corrections). */
  VolunteerHours = 'volunteer_hours',
  /** Entered by community staff. */
  Manual = 'manual',
}

export class PartyMemberDto {
  @ApiProperty({ example: 'Party branch of Xuhui District Hospital' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  workplaceOrganisation: string;

  @ApiProperty({ example: '2008-07-01', description: 'Date joined the party' })
  @Matches(DATE, { message: 'joinedOn must be a date YYYY-MM-DD' })
  joinedOn: string;

  @ApiProperty({ enum: PartyMemberStatus })
  @IsEnum(PartyMemberStatus)
  status: PartyMemberStatus;
}

export class RegistrationDecisionDto {
  @ApiProperty({ description: 'true approves, false rejects' })
  @IsBoolean()
  approve: boolean;

  @ApiPropertyOptional({ example: 'Welcome to building group 12' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}

export class ClaimPostDto {
  @ApiProperty({ enum: ServicePost })
  @IsEnum(ServicePost)
  post: ServicePost;
}

export class LogServiceDto {
  @ApiProperty({ example: 'Building duty: stairwell clean-up' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  description: string;

  @ApiProperty({ example: '2.00', description: 'Positive hours, at most two decimals' })
  @Matches(HOURS_PATTERN, { message: 'hours must be positive with at most two decimals' })
  hours: string;

  @ApiProperty({ example: '2025-05-10' })
  @Matches(DATE, { message: 'servedOn must be a date YYYY-MM-DD' })
  servedOn: string;

  @ApiPropertyOptional({ enum: ServicePost })
  @IsOptional()
  @IsEnum(ServicePost)
  post?: ServicePost;
}

export class ServiceReportQueryDto {
  @ApiPropertyOptional({
    example: '2025-04-01',
    description: 'First day; with `to`. Defaults to the current quarter',
  })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2025-06-30', description: 'Last day, inclusive' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class PartyMemberQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DualRegistrationStatus })
  @IsOptional()
  @IsEnum(DualRegistrationStatus)
  registration?: DualRegistrationStatus;
}

export class PartyMemberView {
  @ApiProperty() personId: string;
  @ApiProperty() communityId: string;
  @ApiProperty() name: string;
  @ApiProperty() workplaceOrganisation: string;
  @ApiProperty() joinedOn: string;
  @ApiProperty({ enum: PartyMemberStatus }) status: PartyMemberStatus;
  @ApiProperty({ description: 'The building whose party group (楼栋党小组) the member belongs to' })
  buildingPartyGroupId: string;
  @ApiProperty() gridId: string;
  @ApiProperty({ enum: DualRegistrationStatus }) registration: DualRegistrationStatus;
  @ApiPropertyOptional() requestedAt?: string;
  @ApiPropertyOptional() decidedAt?: string;
  @ApiPropertyOptional() decisionNote?: string;
  @ApiProperty({ enum: ServicePost, isArray: true }) posts: ServicePost[];
}

export class PartyMemberPage {
  @ApiProperty({ type: [PartyMemberView] }) items: PartyMemberView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class ServiceRecordView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ServiceKind }) kind: ServiceKind;
  @ApiPropertyOptional({ enum: ServicePost }) post?: ServicePost;
  @ApiProperty() description: string;
  @ApiProperty({ example: '2.00', description: 'Signed: volunteer corrections may be negative' })
  hours: string;
  @ApiProperty() occurredAt: string;
  @ApiProperty() sourceEventId: string;
}

export class ServiceReportView {
  @ApiProperty({ type: PartyMemberView }) member: PartyMemberView;
  @ApiProperty({ example: '2025-04-01' }) from: string;
  @ApiProperty({ example: '2025-06-30' }) to: string;
  @ApiProperty() serviceCount: number;
  @ApiProperty({ example: '12.50' }) totalHours: string;
  @ApiProperty({ type: [ServiceRecordView] }) services: ServiceRecordView[];
}

export class ServiceReportCsv {
  @ApiProperty({ example: 'service-report-<personId>-2025-04-01-2025-06-30.csv' }) filename: string;
  @ApiProperty() csv: string;
}

export class GroupCoverage {
  @ApiProperty({ description: 'Building id (the building party group) or grid id' }) id: string;
  @ApiProperty({ description: 'Party members on record in the group' }) members: number;
  @ApiProperty({ description: 'In-service members whose dual registration is approved' }) registered: number;
}

export class RegistrationCoverageView {
  @ApiProperty() members: number;
  @ApiProperty() registered: number;
  @ApiProperty({ type: [GroupCoverage] }) buildingPartyGroups: GroupCoverage[];
  @ApiProperty({ type: [GroupCoverage] }) grids: GroupCoverage[];
}

type OnMember = InCommunity & { personId: string };

export const MembershipPartyRpc = {
  save: rpc<OnMember & { member: PartyMemberDto }, PartyMemberView>('membership.party-members.save'),
  get: rpc<OnMember, PartyMemberView>('membership.party-members.get'),
  list: rpc<InCommunity & { query: PartyMemberQueryDto }, PartyMemberPage>('membership.party-members.list'),
  requestRegistration: rpc<OnMember, PartyMemberView>('membership.dual-registrations.request'),
  decideRegistration: rpc<OnMember & { decision: RegistrationDecisionDto }, PartyMemberView>(
    'membership.dual-registrations.decide',
  ),
  claimPost: rpc<OnMember & { claim: ClaimPostDto }, PartyMemberView>('membership.service-posts.claim'),
  logService: rpc<OnMember & { service: LogServiceDto }, ServiceRecordView>('membership.service-log.record'),
  report: rpc<OnMember & { query: ServiceReportQueryDto }, ServiceReportView>(
    'membership.service-reports.get',
  ),
  reportCsv: rpc<OnMember & { query: ServiceReportQueryDto }, ServiceReportCsv>(
    'membership.service-reports.csv',
  ),
  coverage: rpc<InCommunity, RegistrationCoverageView>('membership.dual-registrations.coverage'),
} as const;
