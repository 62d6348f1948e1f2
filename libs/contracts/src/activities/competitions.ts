import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsISO8601,
  IsMongoId,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PageQueryDto } from '../common/pagination';
import { event } from '../events';
import { rpc } from '../rpc';
import type { InCommunity } from '../grid/subjects';

const POINTS = /^\d{1,6}(\.\d{1,2})?$/;

/** What a competition's score counts. Staff may enter results in every kind. */
export enum CompetitionMetric {
  /** Points entered by staff (a garbage-sorting month's inspections, a sports day). */
  Points = 'points',
  /** People of the building checked in at activities, one point each. */
  Participation = 'participation',
  /** Volunteer hours served by residents of the building. */
  VolunteerHours = 'volunteer_hours',
}

export enum CompetitionFormat {
  /** Ranked by score. */
  League = 'league',
  /** A knockout bracket (the tug-of-war of all buildings), alongside the score. */
  Knockout = 'knockout',
}

export enum ScoreSource {
  Result = 'result',
  Participation = 'participation',
  VolunteerHours = 'volunteer_hours',
}

export enum MatchStatus {
  /** Waiting for a winner of an earlier match. */
  Pending = 'pending',
  Ready = 'ready',
  Decided = 'decided',
  /** One side had no opponent and went through. */
  Bye = 'bye',
}

export class CreateCompetitionDto {
  @ApiProperty({ example: 'Tug-of-war of all buildings' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  description?: string;

  @ApiProperty({ enum: CompetitionMetric })
  @IsEnum(CompetitionMetric)
  metric: CompetitionMetric;

  @ApiProperty({ enum: CompetitionFormat })
  @IsEnum(CompetitionFormat)
  format: CompetitionFormat;

  @ApiProperty({ example: '2025-06-01T00:00:00+08:00', description: 'Events count from this time' })
  @IsISO8601({ strict: true })
  startsAt: string;

  @ApiProperty({ example: '2025-06-30T23:59:59+08:00', description: 'Events count until this time' })
  @IsISO8601({ strict: true })
  endsAt: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Only the buildings of these grids take part; default every building',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsMongoId({ each: true })
  gridIds?: string[];

  @ApiPropertyOptional({
    type: [String],
    description: 'Participation: only check-ins at these activities count; default every activity',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsMongoId({ each: true })
  activityIds?: string[];
}

export class RecordCompetitionResultDto {
  @ApiProperty({
    example: 'inspection-2025-06-14-B012',
    description: 'Names the result; the same key again records nothing new (safe to retry)',
  })
  @Matches(/^[A-Za-z0-9._:-]{1,100}$/, {
    message: 'resultKey must be 1-100 letters, digits, dots, dashes, colons or underscores',
  })
  resultKey: string;

  @ApiProperty({ description: 'The team: a building taking part' })
  @IsMongoId()
  buildingId: string;

  @ApiProperty({ example: '12.50', description: 'Points, a decimal with up to two decimals' })
  @Matches(POINTS, { message: 'points must be a decimal with up to two decimals' })
  points: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class CompetitionLeaderboardQueryDto {
  @ApiPropertyOptional({ description: 'Only the buildings of this grid' })
  @IsOptional()
  @IsMongoId()
  gridId?: string;
}

export class DrawBracketDto {
  @ApiPropertyOptional({
    type: [String],
    description:
      'Every team in seed order (strongest first); default the current leaderboard, then building code',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1024)
  @ArrayUnique()
  @IsMongoId({ each: true })
  seedBuildingIds?: string[];
}

export class RecordMatchResultDto {
  @ApiProperty({ description: 'The building that won the match' })
  @IsMongoId()
  winnerBuildingId: string;

  @ApiPropertyOptional({ example: '2-1', description: 'The score as announced' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  score?: string;
}

export class CompetitionView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty() title: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ enum: CompetitionMetric }) metric: CompetitionMetric;
  @ApiProperty({ enum: CompetitionFormat }) format: CompetitionFormat;
  @ApiProperty() startsAt: string;
  @ApiProperty() endsAt: string;
  @ApiProperty({ description: 'Teams: the buildings taking part' }) teamCount: number;
  @ApiPropertyOptional({ type: [String] }) gridIds?: string[];
  @ApiPropertyOptional({ type: [String] }) activityIds?: string[];
  @ApiProperty() createdAt: string;
}

export class CompetitionPage {
  @ApiProperty({ type: [CompetitionView] }) items: CompetitionView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class ScoreEntryView {
  @ApiProperty() competitionId: string;
  @ApiProperty() buildingId: string;
  @ApiProperty({ enum: ScoreSource }) source: ScoreSource;
  @ApiProperty({ example: '12.50' }) points: string;
  @ApiPropertyOptional() resultKey?: string;
  @ApiPropertyOptional() note?: string;
  @ApiProperty() recordedAt: string;
  @ApiProperty({
    description: 'False when the result key had been recorded before; nothing was counted again',
  })
  firstRecorded: boolean;
}

export class TeamStanding {
  @ApiProperty({ description: 'Equal scores share a rank' }) rank: number;
  @ApiProperty() buildingId: string;
  @ApiProperty() buildingCode: string;
  @ApiProperty() gridId: string;
  @ApiProperty({ example: '42.00' }) score: string;
  @ApiProperty({ description: 'Results and events counted' }) entries: number;
}

export class CompetitionLeaderboardView {
  @ApiProperty() competitionId: string;
  @ApiPropertyOptional() gridId?: string;
  @ApiProperty({ type: [TeamStanding] }) standings: TeamStanding[];
}

export class GridStanding {
  @ApiProperty() rank: number;
  @ApiProperty() gridId: string;
  @ApiProperty({ example: '120.00', description: "The sum of the grid's buildings" }) score: string;
  @ApiProperty() buildings: number;
}

export class CompetitionGridLeaderboardView {
  @ApiProperty() competitionId: string;
  @ApiProperty({ type: [GridStanding] }) standings: GridStanding[];
}

export class BracketSlotView {
  @ApiProperty() buildingId: string;
  @ApiProperty() buildingCode: string;
  @ApiProperty({ description: '1 is the strongest seed' }) seed: number;
}

export class BracketMatchView {
  @ApiProperty({ example: 'R1M3' }) key: string;
  @ApiProperty() round: number;
  @ApiProperty({ description: 'Position in the round, from 1' }) index: number;
  @ApiProperty({ enum: MatchStatus }) status: MatchStatus;
  @ApiPropertyOptional({ type: BracketSlotView }) home?: BracketSlotView;
  @ApiPropertyOptional({
    type: BracketSlotView,
    description: 'Absent for a bye or while waiting for an earlier match',
  })
  away?: BracketSlotView;
  @ApiPropertyOptional() winnerBuildingId?: string;
  @ApiPropertyOptional() score?: string;
}

export class BracketRoundView {
  @ApiProperty() round: number;
  @ApiProperty({ example: 'Round of 512' }) name: string;
  @ApiProperty({ type: [BracketMatchView] }) matches: BracketMatchView[];
}

export class BracketView {
  @ApiProperty() competitionId: string;
  @ApiProperty({ description: 'Slots in the first round: the power of two at or above the team count' })
  size: number;
  @ApiProperty() teamCount: number;
  @ApiProperty({ description: 'Teams through the first round without a match' }) byes: number;
  @ApiProperty({ type: [BracketRoundView] }) rounds: BracketRoundView[];
  @ApiPropertyOptional({ description: 'The winner of the final' }) championBuildingId?: string;
}

export interface CompetitionResultRecordedData {
  competitionId: string;
  kind: 'score' | 'match';
  /** The team credited: the building scored for, or the winner of the match. */
  buildingId: string;
  /** Score results: points as a decimal string. */
  points?: string;
  resultKey?: string;
  /** Match results. */
  matchKey?: string;
  round?: number;
  loserBuildingId?: string;
  /** Set when the match was the final. */
  champion?: boolean;
  recordedAt: string;
}

export const CompetitionEvents = {
  resultRecorded: event<CompetitionResultRecordedData>('evt.activities.competition.result-recorded'),
} as const;

type OfCompetition = InCommunity & { competitionId: string };

export const CompetitionsRpc = {
  create: rpc<InCommunity & { competition: CreateCompetitionDto }, CompetitionView>(
    'activities.competitions.create',
  ),
  list: rpc<InCommunity & { page: PageQueryDto }, CompetitionPage>('activities.competitions.list'),
  get: rpc<OfCompetition, CompetitionView>('activities.competitions.get'),
  recordResult: rpc<OfCompetition & { result: RecordCompetitionResultDto }, ScoreEntryView>(
    'activities.competition-results.record',
  ),
  leaderboard: rpc<OfCompetition & { query: CompetitionLeaderboardQueryDto }, CompetitionLeaderboardView>(
    'activities.competitions.leaderboard',
  ),
  gridLeaderboard: rpc<OfCompetition, CompetitionGridLeaderboardView>(
    'activities.competitions.grid-leaderboard',
  ),
  drawBracket: rpc<OfCompetition & { draw: DrawBracketDto }, BracketView>(
    'activities.competition-brackets.draw',
  ),
  getBracket: rpc<OfCompetition, BracketView>('activities.competition-brackets.get'),
  recordMatch: rpc<OfCompetition & { matchKey: string; result: RecordMatchResultDto }, BracketView>(
    'activities.competition-matches.record',
  ),
} as const;
