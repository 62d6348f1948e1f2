import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsDateString,
  IsEnum,
  IsInt,
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
import { event } from '../events';
import type { InCommunity } from '../grid/subjects';
import { rpc } from '../rpc';

/** Positive hours with at most two decimals, e.g. "2.5" or "2.50". */
export const HOURS_PATTERN = /^(?=[0-9.]*[1-9])[0-9]{1,4}(\.[0-9]{1,2})?$/;
/** A correction: signed, non-zero, at most two decimals, e.g. "-1.50". */
export const HOURS_DELTA_PATTERN = /^-?(?=[0-9.]*[1-9])[0-9]{1,4}(\.[0-9]{1,2})?$/;
/** A positive rate with at most two decimals. */
export const RATE_PATTERN = /^(?=[0-9.]*[1-9])[0-9]{1,4}(\.[0-9]{1,2})?$/;

export enum Availability {
  WeekdayMorning = 'weekday_morning',
  WeekdayAfternoon = 'weekday_afternoon',
  WeekdayEvening = 'weekday_evening',
  WeekendMorning = 'weekend_morning',
  WeekendAfternoon = 'weekend_afternoon',
  WeekendEvening = 'weekend_evening',
}

export enum HoursSource {
  /** A volunteer shift completed in activities. */
  Shift = 'shift',
  /** A case handled, from grid. */
  Case = 'case',
  /** Entered by community staff. */
  Manual = 'manual',
  /** A correction of an earlier entry; entries are never edited. */
  Correction = 'correction',
}

export class VolunteerProfileDto {
  @ApiProperty({ type: [String], example: ['first aid', 'plumbing'] })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(40, { each: true })
  skills: string[];

  @ApiProperty({ enum: Availability, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsEnum(Availability, { each: true })
  availability: Availability[];
}

export class VolunteerQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'first aid', description: 'Only volunteers with this skill (exact)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  skill?: string;
}

export class RecordHoursDto {
  @ApiProperty({ description: 'The volunteer' })
  @IsMongoId()
  personId: string;

  @ApiProperty({ example: '2.50', description: 'Positive hours, at most two decimals' })
  @Matches(HOURS_PATTERN, { message: 'hours must be positive with at most two decimals, e.g. "2.50"' })
  hours: string;

  @ApiProperty({ example: 'Safety watch at the school gate' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  description: string;

  @ApiPropertyOptional({ description: 'When the service was done; defaults to now' })
  @IsOptional()
  @IsDateString()
  occurredAt?: string;
}

export class CorrectHoursDto {
  @ApiProperty({
    example: '-1.00',
    description: 'Signed change to the corrected entry, at most two decimals',
  })
  @Matches(HOURS_DELTA_PATTERN, {
    message: 'hours must be a non-zero signed number with at most two decimals',
  })
  hours: string;

  @ApiProperty({ example: 'Shift ended an hour early' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reason: string;
}

export class VolunteerSettingsDto {
  @ApiProperty({ example: '10.00', description: 'Service points per hour' })
  @Matches(RATE_PATTERN, { message: 'pointsPerHour must be positive with at most two decimals' })
  pointsPerHour: string;

  @ApiProperty({ example: '1.00', description: 'Hours credited to the handler of a case its reporter closed satisfied' })
  @Matches(HOURS_PATTERN, { message: 'hoursPerCase must be positive with at most two decimals' })
  hoursPerCase: string;
}

export class LeaderboardQueryDto {
  @ApiPropertyOptional({ description: 'Rank the volunteers of this building' })
  @IsOptional()
  @IsMongoId()
  buildingId?: string;

  @ApiPropertyOptional({ description: 'Rank the volunteers of this grid' })
  @IsOptional()
  @IsMongoId()
  gridId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class VolunteerProfileView {
  @ApiProperty() personId: string;
  @ApiProperty() communityId: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [String] }) skills: string[];
  @ApiProperty({ enum: Availability, isArray: true }) availability: Availability[];
  @ApiPropertyOptional() buildingId?: string;
  @ApiPropertyOptional() gridId?: string;
  @ApiProperty() updatedAt: string;
}

export class VolunteerPage {
  @ApiProperty({ type: [VolunteerProfileView] }) items: VolunteerProfileView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class HoursEntryView {
  @ApiProperty() id: string;
  @ApiProperty() personId: string;
  @ApiProperty({ example: '2.50', description: 'Signed; corrections may be negative' }) hours: string;
  @ApiProperty({ enum: HoursSource }) source: HoursSource;
  @ApiProperty({ description: 'The event (or staff entry) this entry came from; unique' })
  sourceEventId: string;
  @ApiPropertyOptional({ description: 'Shift, case or other record the hours were served on' })
  sourceId?: string;
  @ApiPropertyOptional() description?: string;
  @ApiPropertyOptional() correctsEntryId?: string;
  @ApiPropertyOptional() buildingId?: string;
  @ApiPropertyOptional() gridId?: string;
  @ApiProperty() occurredAt: string;
  @ApiProperty() recordedAt: string;
}

export class VolunteerHoursView {
  @ApiProperty() personId: string;
  @ApiProperty({ example: '12.50' }) totalHours: string;
  @ApiProperty({ example: '125.00', description: 'totalHours × pointsPerHour' }) points: string;
  @ApiProperty({ type: [HoursEntryView] }) items: HoursEntryView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class LeaderboardRow {
  @ApiProperty() rank: number;
  @ApiProperty() personId: string;
  @ApiPropertyOptional() name?: string;
  @ApiProperty({ example: '12.50' }) hours: string;
  @ApiProperty({ example: '125.00' }) points: string;
}

export class LeaderboardView {
  @ApiProperty({ enum: ['community', 'building', 'grid'] }) scope: 'community' | 'building' | 'grid';
  @ApiPropertyOptional() scopeId?: string;
  @ApiProperty({ example: '10.00' }) pointsPerHour: string;
  @ApiProperty({ type: [LeaderboardRow] }) rows: LeaderboardRow[];
}

export class VolunteerSettingsView {
  @ApiProperty() communityId: string;
  @ApiProperty({ example: '10.00' }) pointsPerHour: string;
  @ApiProperty({ example: '1.00' }) hoursPerCase: string;
}

export const MembershipVolunteerRpc = {
  saveProfile: rpc<InCommunity & { personId: string; profile: VolunteerProfileDto }, VolunteerProfileView>(
    'membership.volunteers.save',
  ),
  getProfile: rpc<InCommunity & { personId: string }, VolunteerProfileView>('membership.volunteers.get'),
  listProfiles: rpc<InCommunity & { query: VolunteerQueryDto }, VolunteerPage>('membership.volunteers.list'),
  recordHours: rpc<InCommunity & { entry: RecordHoursDto }, HoursEntryView>(
    'membership.volunteer-hours.record',
  ),
  correctHours: rpc<InCommunity & { entryId: string; correction: CorrectHoursDto }, HoursEntryView>(
    'membership.volunteer-hours.correct',
  ),
  hoursOf: rpc<InCommunity & { personId: string; page: PageQueryDto }, VolunteerHoursView>(
    'membership.volunteer-hours.get',
  ),
  leaderboard: rpc<InCommunity & { query: LeaderboardQueryDto }, LeaderboardView>(
    'membership.volunteers.rank',
  ),
  getSettings: rpc<InCommunity, VolunteerSettingsView>('membership.volunteer-settings.get'),
  saveSettings: rpc<InCommunity & { settings: VolunteerSettingsDto }, VolunteerSettingsView>(
    'membership.volunteer-settings.save',
  ),
} as const;

export interface VolunteerHoursRecordedData {
  entryId: string;
  personId: string;
  /** Signed decimal string with two decimals. */
  hours: string;
  source: HoursSource;
  sourceId?: string;
  description?: string;
  correctsEntryId?: string;
  occurredAt: string;
}

export const MembershipVolunteerEvents = {
  hoursRecorded: event<VolunteerHoursRecordedData>('evt.membership.volunteer-hours.recorded'),
} as const;
