import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsISO8601,
  IsInt,
  IsMongoId,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../common/pagination';
import { NestedObject } from '../common/validation';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const HOURS = /^\d{1,3}(\.\d{1,2})?$/;

export enum ActivityType {
  ParentChild = 'parent_child',
  Family = 'family',
  Culture = 'culture',
  Sports = 'sports',
  Festival = 'festival',
  Education = 'education',
  Service = 'service',
}

export enum ActivityStatus {
  Draft = 'draft',
  Published = 'published',
  Cancelled = 'cancelled',
  Finished = 'finished',
}

export enum OrganiserKind {
  /** A body: the residents' committee, the owners' committee, the property company, a school family committee. */
  Body = 'body',
  PartyOrganisation = 'party_organisation',
}

export enum AudienceScope {
  Community = 'community',
  Buildings = 'buildings',
  Grids = 'grids',
}

export enum HouseholdRelation {
  Spouse = 'spouse',
  Child = 'child',
  Parent = 'parent',
  Grandparent = 'grandparent',
  Grandchild = 'grandchild',
  Other = 'other',
}

export enum RegistrationStatus {
  /** Written, seat not yet settled; a sweep finishes it if the process stopped in between. */
  Pending = 'pending',
  Confirmed = 'confirmed',
  Waitlisted = 'waitlisted',
  Cancelled = 'cancelled',
}

export class OrganiserDto {
  @ApiProperty({ enum: OrganiserKind })
  @IsEnum(OrganiserKind)
  kind: OrganiserKind;

  @ApiProperty({ example: "Residents' committee" })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;
}

export class AudienceDto {
  @ApiProperty({ enum: AudienceScope, description: 'Whole community, or only the listed buildings or grids' })
  @IsEnum(AudienceScope)
  scope: AudienceScope;

  @ApiPropertyOptional({ type: [String], description: 'With scope `buildings`' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(300)
  @IsMongoId({ each: true })
  buildingIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'With scope `grids`' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsMongoId({ each: true })
  gridIds?: string[];

  @ApiPropertyOptional({ description: 'Only owners may register' })
  @IsOptional()
  @IsBoolean()
  ownersOnly?: boolean;

  @ApiPropertyOptional({ description: 'Only party members may register' })
  @IsOptional()
  @IsBoolean()
  partyMembersOnly?: boolean;

  @ApiPropertyOptional({ minimum: 0, maximum: 120, description: 'Every participant at least this old on the start day' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120)
  minAge?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 120, description: 'Every participant at most this old on the start day' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120)
  maxAge?: number;
}

export class CreateActivityDto {
  @ApiProperty({ example: 'Lawn music festival' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({ enum: ActivityType })
  @IsEnum(ActivityType)
  type: ActivityType;

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  description?: string;

  @ApiProperty({ type: OrganiserDto })
  @NestedObject(() => OrganiserDto)
  organiser: OrganiserDto;

  @ApiProperty({ example: 'Central lawn' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  place: string;

  @ApiProperty({ example: '2025-06-01T09:00:00+08:00' })
  @IsISO8601({ strict: true })
  startsAt: string;

  @ApiProperty({ example: '2025-06-01T11:30:00+08:00' })
  @IsISO8601({ strict: true })
  endsAt: string;

  @ApiProperty({ type: AudienceDto })
  @NestedObject(() => AudienceDto)
  audience: AudienceDto;

  @ApiProperty({ minimum: 1, maximum: 100000, description: 'Places, counted in people (not registrations)' })
  @IsInt()
  @Min(1)
  @Max(100000)
  capacity: number;

  @ApiProperty({ example: '2025-05-20T09:00:00+08:00' })
  @IsISO8601({ strict: true })
  registrationOpensAt: string;

  @ApiProperty({ example: '2025-05-31T18:00:00+08:00' })
  @IsISO8601({ strict: true })
  registrationClosesAt: string;

  @ApiProperty({ description: 'Whether a resident may add household members to a registration' })
  @IsBoolean()
  familyMembersAllowed: boolean;

  @ApiPropertyOptional({ example: 'https://cdn.example.org/covers/festival.jpg' })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true })
  @MaxLength(500)
  coverUrl?: string;
}

export class ListActivitiesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ActivityStatus, description: 'Staff only for statuses other than published' })
  @IsOptional()
  @IsEnum(ActivityStatus)
  status?: ActivityStatus;
}

export class HouseholdMemberDto {
  @ApiProperty({ example: 'Li Xiaoming' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: HouseholdRelation })
  @IsEnum(HouseholdRelation)
  relation: HouseholdRelation;

  @ApiPropertyOptional({ example: '2018-04-02', description: 'Needed when the activity has an age range' })
  @IsOptional()
  @Matches(DATE, { message: 'birthDate must be YYYY-MM-DD' })
  birthDate?: string;
}

export class RegisterForActivityDto {
  @ApiPropertyOptional({ example: '1985-09-10', description: "The resident's own birth date; needed when the activity has an age range" })
  @IsOptional()
  @Matches(DATE, { message: 'birthDate must be YYYY-MM-DD' })
  birthDate?: string;

  @ApiPropertyOptional({ type: [HouseholdMemberDto], maxItems: 9 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(9)
  @ValidateNested({ each: true })
  @Type(() => HouseholdMemberDto)
  members?: HouseholdMemberDto[];
}

export class ListRegistrationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: RegistrationStatus })
  @IsOptional()
  @IsEnum(RegistrationStatus)
  status?: RegistrationStatus;

  @ApiPropertyOptional({ description: "Staff search: the start of the registrant's name" })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;
}

export class CheckInDto {
  @ApiPropertyOptional({ description: 'The code from the registration (its QR code), scanned by staff' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{16,64}$/, { message: 'code is not a check-in code' })
  code?: string;

  @ApiPropertyOptional({ description: 'Or the registration found by staff search' })
  @IsOptional()
  @IsMongoId()
  registrationId?: string;
}

export enum ShiftSourceKind {
  Activity = 'activity',
  GridTask = 'grid_task',
  /** A school safety-watch project recruited through a family committee. */
  SchoolProject = 'school_project',
}

export enum SignUpStatus {
  SignedUp = 'signed_up',
  Confirmed = 'confirmed',
  Completed = 'completed',
}

export class ShiftSourceDto {
  @ApiProperty({ enum: ShiftSourceKind })
  @IsEnum(ShiftSourceKind)
  kind: ShiftSourceKind;

  @ApiProperty({ description: 'Id of the activity, grid task or project' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  id: string;

  @ApiProperty({ example: 'School gate safety watch' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;
}

export class CreateShiftDto {
  @ApiProperty({ type: ShiftSourceDto })
  @NestedObject(() => ShiftSourceDto)
  source: ShiftSourceDto;

  @ApiProperty({ example: 'Crossing guard', description: 'The volunteer role this shift is for' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  role: string;

  @ApiProperty({ example: '2025-06-01T07:15:00+08:00' })
  @IsISO8601({ strict: true })
  startsAt: string;

  @ApiProperty({ example: '2025-06-01T08:15:00+08:00' })
  @IsISO8601({ strict: true })
  endsAt: string;

  @ApiProperty({ minimum: 1, maximum: 1000, description: 'Volunteers needed' })
  @IsInt()
  @Min(1)
  @Max(1000)
  headcount: number;

  @ApiPropertyOptional({ example: '1.50', description: 'Hours credited; defaults to the shift length' })
  @IsOptional()
  @Matches(HOURS, { message: 'hours must be a decimal with up to two decimals' })
  hours?: string;
}

export class ListShiftsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only shifts of this activity, grid task or project' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  sourceId?: string;
}

export class CompleteShiftDto {
  @ApiPropertyOptional({ example: '2.00', description: "Hours served; defaults to the shift's hours" })
  @IsOptional()
  @Matches(HOURS, { message: 'hours must be a decimal with up to two decimals' })
  hours?: string;
}

export enum MicroWishStatus {
  PendingReview = 'pending_review',
  Approved = 'approved',
  Rejected = 'rejected',
  Claimed = 'claimed',
  Fulfilled = 'fulfilled',
  Confirmed = 'confirmed',
  Disputed = 'disputed',
  Expired = 'expired',
}

export enum MicroWishCategory {
  DailyNeeds = 'daily_needs',
  Study = 'study',
  Health = 'health',
  Repair = 'repair',
  Companionship = 'companionship',
  Other = 'other',
}

export enum ClaimantKind {
  Enterprise = 'enterprise',
  PublicUnit = 'public_unit',
  PartyMember = 'party_member',
}

export class PostMicroWishDto {
  @ApiProperty({ example: 'A second-hand bicycle for my grandson' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  what: string;

  @ApiProperty({ example: 'He starts middle school 3 km away in September' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  why: string;

  @ApiProperty({ example: '2025-08-25' })
  @Matches(DATE, { message: 'neededBy must be YYYY-MM-DD' })
  neededBy: string;

  @ApiProperty({ enum: MicroWishCategory })
  @IsEnum(MicroWishCategory)
  category: MicroWishCategory;

  @ApiPropertyOptional({ type: [String], maxItems: 6 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(6)
  @IsUrl({ protocols: ['https'], require_protocol: true }, { each: true })
  photoUrls?: string[];
}

export enum ReviewDecision {
  Approve = 'approve',
  Reject = 'reject',
}

export class ReviewMicroWishDto {
  @ApiProperty({ enum: ReviewDecision })
  @IsEnum(ReviewDecision)
  decision: ReviewDecision;

  @ApiPropertyOptional({ description: 'Required when rejecting' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason?: string;
}

export class ClaimMicroWishDto {
  @ApiProperty({
    enum: ClaimantKind,
    description: 'Party members claim for themselves; community staff record a claim for an enterprise or public unit',
  })
  @IsEnum(ClaimantKind)
  kind: ClaimantKind;

  @ApiPropertyOptional({ example: 'Kangjian Bicycle Co.', description: 'Required for an enterprise or public unit' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  organisationName?: string;
}

export class MicroWishNoteDto {
  @ApiPropertyOptional({ maxLength: 500, description: 'A thank-you, a fulfilment note, or the reason for a dispute' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  note?: string;
}

export class ListMicroWishesQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsMongoId()
  gridId?: string;

  @ApiPropertyOptional({ enum: MicroWishCategory })
  @IsOptional()
  @IsEnum(MicroWishCategory)
  category?: MicroWishCategory;

  @ApiPropertyOptional({ enum: MicroWishStatus, description: 'Defaults to approved (the public board); other statuses are for staff' })
  @IsOptional()
  @IsEnum(MicroWishStatus)
  status?: MicroWishStatus;

  @ApiPropertyOptional({ description: 'Only the wishes I posted, in any status (status then filters them)' })
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true')
  @IsBoolean()
  mine?: boolean;
}
