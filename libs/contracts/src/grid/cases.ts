import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsInt,
  IsISO8601,
  IsLatitude,
  IsLongitude,
  IsMongoId,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { PageQueryDto } from '../common/pagination';
import { CATEGORY_CODE } from './settings';

/** The categories every community starts with; a community's settings may add others. */
export enum CaseCategory {
  /** 群租 */
  GroupRental = 'group_rental',
  /** 居改非 */
  HomeAsBusiness = 'home_as_business',
  /** 违章搭建 */
  IllegalConstruction = 'illegal_construction',
  Noise = 'noise',
  /** Sanitation and garbage sorting. */
  Sanitation = 'sanitation',
  PropertyMaintenance = 'property_maintenance',
  SafetyHazard = 'safety_hazard',
  NeighbourDispute = 'neighbour_dispute',
  Other = 'other',
}

export enum CaseUrgency {
  Normal = 'normal',
  Urgent = 'urgent',
  /** Handled the same day. */
  Emergency = 'emergency',
}

export enum CaseLocationKind {
  Unit = 'unit',
  Building = 'building',
  /** A common area next to a building: stairwell, courtyard, bike shed. */
  CommonArea = 'common_area',
}

export enum CaseStatus {
  Reported = 'reported',
  Accepted = 'accepted',
  Assigned = 'assigned',
  InProgress = 'in_progress',
  Resolved = 'resolved',
  Closed = 'closed',
  /** The grid says the case is not theirs; the community arbitrates. */
  Returned = 'returned',
}

export enum CaseAction {
  File = 'file',
  Accept = 'accept',
  Return = 'return',
  Arbitrate = 'arbitrate',
  Assign = 'assign',
  Start = 'start',
  Resolve = 'resolve',
  Rate = 'rate',
  Reopen = 'reopen',
  RequestExtension = 'request_extension',
  ApproveExtension = 'approve_extension',
  RejectExtension = 'reject_extension',
  Escalate = 'escalate',
}

export enum CaseRating {
  Satisfied = 'satisfied',
  BasicallySatisfied = 'basically_satisfied',
  Dissatisfied = 'dissatisfied',
}

export enum AssigneeKind {
  GridStaff = 'grid_staff',
  PartyMember = 'party_member',
  Volunteer = 'volunteer',
  BuildingLeader = 'building_leader',
}

/** grid → residential area → community → street. */
export enum EscalationLevel {
  Grid = 'grid',
  Area = 'area',
  Community = 'community',
  Street = 'street',
}

export enum DeadlineFlag {
  Green = 'green',
  /** Close to the deadline. */
  Yellow = 'yellow',
  /** Late. */
  Red = 'red',
}

export class FileCaseDto {
  @ApiProperty({
    example: CaseCategory.Noise,
    pattern: CATEGORY_CODE.source,
    description:
      "An active category of the community's settings; the nine codes of `CaseCategory` are the defaults",
  })
  @IsString()
  @Matches(CATEGORY_CODE, { message: 'category must be a category code' })
  category: string;

  @ApiProperty({ example: 'Water leaking from the ceiling of the stairwell on floor 5' })
  @IsString()
  @MinLength(5)
  @MaxLength(2000)
  description: string;

  @ApiProperty({ enum: CaseUrgency })
  @IsEnum(CaseUrgency)
  urgency: CaseUrgency;

  @ApiProperty({ enum: CaseLocationKind })
  @IsEnum(CaseLocationKind)
  locationKind: CaseLocationKind;

  @ApiProperty({
    description: 'The unit id for a unit; the building id for a building or a common area next to it',
  })
  @IsMongoId()
  locationId: string;

  @ApiPropertyOptional({
    example: 'Bike shed behind the building',
    description: 'Where exactly, for a common area',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  place?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 9, example: ['https://files.example.org/p/1.jpg'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(9)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { each: true })
  photoUrls?: string[];

  @ApiPropertyOptional({ example: 31.2304, description: 'WGS84 latitude of the spot, given with longitude' })
  @IsOptional()
  @IsLatitude()
  latitude?: number;

  @ApiPropertyOptional({ example: 121.4737, description: 'WGS84 longitude of the spot, given with latitude' })
  @IsOptional()
  @IsLongitude()
  longitude?: number;
}

/** Every step may name the version it was decided on; a stale version is refused with CONFLICT. */
export class CaseStepDto {
  @ApiPropertyOptional({
    description: 'The case version the caller saw; the step is refused if the case changed since',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  expectedVersion?: number;

  @ApiPropertyOptional({ example: 'Signed for by grid 3' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class ReturnCaseDto extends CaseStepDto {
  @ApiProperty({ example: 'The shop is on the street side, which belongs to grid 7' })
  @IsString()
  @MinLength(5)
  @MaxLength(1000)
  reason: string;
}

export class ArbitrateCaseDto extends CaseStepDto {
  @ApiProperty({ description: 'The grid that must handle the case; it may be the one that returned it' })
  @IsMongoId()
  gridId: string;
}

export class AssignCaseDto extends CaseStepDto {
  @ApiProperty({ enum: AssigneeKind })
  @IsEnum(AssigneeKind)
  assigneeKind: AssigneeKind;

  @ApiProperty({ example: 'Zhao Lei' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  assigneeName: string;

  @ApiPropertyOptional({ description: 'Person id in membership, when the assignee has one' })
  @IsOptional()
  @IsMongoId()
  assigneePersonId?: string;
}

export class RateCaseDto extends CaseStepDto {
  @ApiProperty({ enum: CaseRating })
  @IsEnum(CaseRating)
  rating: CaseRating;

  @ApiPropertyOptional({ example: 'Fixed quickly, thank you' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  comment?: string;
}

export class RequestExtensionDto extends CaseStepDto {
  @ApiProperty({ minimum: 1, maximum: 30, description: 'Working days added to the current deadline' })
  @IsInt()
  @Min(1)
  @Max(30)
  workingDays: number;

  @ApiProperty({ example: 'Waiting for a spare part from the manufacturer' })
  @IsString()
  @MinLength(5)
  @MaxLength(1000)
  reason: string;
}

export class DecideExtensionDto extends CaseStepDto {
  @ApiProperty()
  @IsBoolean()
  approve: boolean;
}

export class CaseListQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsMongoId()
  gridId?: string;

  @ApiPropertyOptional({ description: 'Cases at one building, or at its units' })
  @IsOptional()
  @IsMongoId()
  buildingId?: string;

  @ApiPropertyOptional({
    enum: CaseStatus,
    isArray: true,
    description: 'One or more statuses, repeated (`status=reported&status=accepted`) or comma-separated',
  })
  @IsOptional()
  @Transform(({ value }) =>
    (Array.isArray(value) ? value : String(value).split(',')).map((v: string) => v.trim()),
  )
  @IsArray()
  @ArrayMaxSize(10)
  @IsEnum(CaseStatus, { each: true })
  status?: CaseStatus[];

  @ApiPropertyOptional({ description: 'Cases assigned to this person' })
  @IsOptional()
  @IsMongoId()
  assigneePersonId?: string;

  @ApiPropertyOptional({ example: '2026-01-01T00:00:00+08:00', description: 'Reported from this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2026-02-01T00:00:00+08:00', description: 'Reported before this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'Only cases past their resolution deadline and not yet resolved' })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true')
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({
    example: 'water leak',
    description: 'Words in the description or the place, any case',
  })
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ example: CaseCategory.Noise, description: 'A category code' })
  @IsOptional()
  @Matches(CATEGORY_CODE, { message: 'category must be a category code' })
  category?: string;

  @ApiPropertyOptional({ type: [String], description: 'Any of these category codes, comma-separated' })
  @IsOptional()
  @Transform(({ value }) =>
    (Array.isArray(value) ? value : String(value).split(',')).map((v: string) => v.trim()),
  )
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(CATEGORY_CODE, { each: true, message: 'each category must be a category code' })
  categories?: string[];

  @ApiPropertyOptional({
    enum: EscalationLevel,
    description:
      'The escalation inbox of a level: cases that have reached it (area, community or street) and went no higher. ' +
      'A grid worker sees those of the area or community they staff.',
  })
  @IsOptional()
  @IsEnum(EscalationLevel)
  escalation?: EscalationLevel;
}

export class CaseStatisticsQueryDto {
  @ApiProperty({ example: '2026-01-01T00:00:00+08:00', description: 'Cases reported from this instant' })
  @IsISO8601()
  from: string;

  @ApiProperty({ example: '2026-02-01T00:00:00+08:00', description: 'up to, not including, this instant' })
  @IsISO8601()
  to: string;

  @ApiPropertyOptional({
    description: 'One residential area; without areaId and gridId, the whole community',
  })
  @IsOptional()
  @IsMongoId()
  areaId?: string;

  @ApiPropertyOptional({ description: 'One grid' })
  @IsOptional()
  @IsMongoId()
  gridId?: string;
}

export class CaseActorView {
  @ApiProperty({ description: 'Account id' }) sub: string;
  @ApiPropertyOptional() personId?: string;
  @ApiProperty() name: string;
}

export class CaseTransitionView {
  @ApiProperty({ enum: CaseAction }) action: CaseAction;
  @ApiProperty({ enum: CaseStatus }) from: CaseStatus;
  @ApiProperty({ enum: CaseStatus }) to: CaseStatus;
  @ApiProperty({ type: CaseActorView }) by: CaseActorView;
  @ApiProperty() at: string;
  @ApiPropertyOptional() note?: string;
}

export class CaseAssigneeView {
  @ApiProperty({ enum: AssigneeKind }) kind: AssigneeKind;
  @ApiProperty() name: string;
  @ApiPropertyOptional() personId?: string;
}

export class CaseExtensionView {
  @ApiProperty() workingDays: number;
  @ApiProperty() reason: string;
  @ApiProperty({ type: CaseActorView }) requestedBy: CaseActorView;
  @ApiProperty() requestedAt: string;
}

export class CaseView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty({ example: CaseCategory.Noise, description: 'A category code of the community' })
  category: string;
  @ApiPropertyOptional({
    description: 'The department the category routes the case to, when not the grid alone',
  })
  department?: string;
  @ApiProperty({ enum: CaseUrgency }) urgency: CaseUrgency;
  @ApiProperty() description: string;
  @ApiProperty({ type: [String] }) photoUrls: string[];
  @ApiProperty({ enum: CaseLocationKind }) locationKind: CaseLocationKind;
  @ApiPropertyOptional() unitId?: string;
  @ApiProperty() buildingId: string;
  @ApiPropertyOptional() place?: string;
  @ApiPropertyOptional({ description: 'WGS84 latitude, when the filer gave the spot' }) latitude?: number;
  @ApiPropertyOptional({ description: 'WGS84 longitude, when the filer gave the spot' }) longitude?: number;
  @ApiProperty({ description: 'The grid handling the case, found from the location' }) gridId: string;
  @ApiProperty() areaId: string;
  @ApiProperty({ enum: CaseStatus }) status: CaseStatus;
  @ApiProperty({ description: 'Increases with every step; send it back as expectedVersion' }) version: number;
  @ApiProperty({ type: CaseActorView }) reporter: CaseActorView;
  @ApiProperty() reportedAt: string;
  @ApiProperty({ description: 'The grid must sign for the case by then' }) signForDueAt: string;
  @ApiProperty({ description: 'The case must be resolved by then' }) dueAt: string;
  @ApiPropertyOptional({
    description:
      "True when the deadline runs past the end of the district's working calendar: holidays after it are not counted yet",
  })
  deadlineProvisional?: boolean;
  @ApiProperty({ enum: DeadlineFlag }) flag: DeadlineFlag;
  @ApiProperty({ enum: EscalationLevel }) escalationLevel: EscalationLevel;
  @ApiPropertyOptional({ type: CaseAssigneeView }) assignee?: CaseAssigneeView;
  @ApiPropertyOptional({ enum: CaseRating }) rating?: CaseRating;
  @ApiPropertyOptional() ratingComment?: string;
  @ApiProperty() reopenCount: number;
  @ApiPropertyOptional({ type: CaseExtensionView }) pendingExtension?: CaseExtensionView;
  @ApiPropertyOptional() resolvedAt?: string;
  @ApiPropertyOptional() closedAt?: string;
  @ApiProperty({ type: [CaseTransitionView] }) history: CaseTransitionView[];
}

export class CasePage {
  @ApiProperty({ type: [CaseView] }) items: CaseView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class CategoryCount {
  @ApiProperty({ example: CaseCategory.Noise }) category: string;
  @ApiProperty() count: number;
}

export class StatusCount {
  @ApiProperty({ enum: CaseStatus }) status: CaseStatus;
  @ApiProperty() count: number;
}

export class CaseStatisticsView {
  @ApiProperty() communityId: string;
  @ApiPropertyOptional() areaId?: string;
  @ApiPropertyOptional() gridId?: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty() total: number;
  @ApiProperty({ type: [CategoryCount] }) byCategory: CategoryCount[];
  @ApiProperty({ type: [StatusCount] }) byStatus: StatusCount[];
  @ApiProperty() resolvedCount: number;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '87.50',
    description: 'Percent of resolved cases resolved by the deadline',
  })
  onTimeRate: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '26.25',
    description: 'Hours from report to resolution',
  })
  averageResolveHours: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '90.00',
    description: 'Percent of ratings satisfied or basically satisfied',
  })
  satisfactionRate: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '3.00',
    description: 'Percent of cases reopened after a dissatisfied rating',
  })
  reopenedRate: string | null;
}
