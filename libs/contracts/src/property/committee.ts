import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsISO8601,
  IsMongoId,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import type { InCommunity } from '../grid/subjects';
import { rpc } from '../rpc';

export enum CommitteeRole {
  Chair = 'chair',
  ViceChair = 'vice_chair',
  Member = 'member',
}

/** How a term's members came to sit. */
export enum TermSource {
  /** Elected by the owners' assembly: the top candidates of a closed election ballot. */
  Election = 'election',
  /** Recorded by community staff (a committee elected before the system, or a by-election on paper). */
  Recorded = 'recorded',
}

export enum TermStatus {
  Upcoming = 'upcoming',
  Sitting = 'sitting',
  Ended = 'ended',
  /** Seated wrongly and voided by staff: it never counts as the committee. */
  Voided = 'voided',
}

/** Members of one committee, the same bounds as an election's seats. */
export const COMMITTEE_MIN_MEMBERS = 3;
export const COMMITTEE_MAX_MEMBERS = 15;

export class CommitteeMemberDto {
  @ApiProperty({ description: 'The member (person id)' })
  @IsMongoId()
  personId: string;

  @ApiProperty({ example: 'Chen Hao' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: CommitteeRole })
  @IsEnum(CommitteeRole)
  role: CommitteeRole;
}

export class SeatCommitteeDto {
  @ApiProperty({ example: '2025-07-01', description: 'First day of the term (inclusive)' })
  @IsISO8601({ strict: true })
  startsOn: string;

  @ApiProperty({ example: '2030-06-30', description: 'Last day of the term as planned (inclusive)' })
  @IsISO8601({ strict: true })
  endsOn: string;

  @ApiProperty({
    type: [CommitteeMemberDto],
    description: `${COMMITTEE_MIN_MEMBERS}-${COMMITTEE_MAX_MEMBERS} members, exactly one chair`,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(COMMITTEE_MAX_MEMBERS + 5)
  @ValidateNested({ each: true })
  @Type(() => CommitteeMemberDto)
  members: CommitteeMemberDto[];

  @ApiProperty({
    example: 'Elected by the owners’ assembly of 12 May 2025 (paper ballots, street office minutes no. 17)',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  basis: string;
}

export class SeatElectedCommitteeDto {
  @ApiProperty({ description: 'An election whose ballot is closed' })
  @IsMongoId()
  electionId: string;

  @ApiProperty({ example: '2025-07-01' })
  @IsISO8601({ strict: true })
  startsOn: string;

  @ApiProperty({ example: '2030-06-30' })
  @IsISO8601({ strict: true })
  endsOn: string;

  @ApiProperty({ description: 'The chair the elected members chose among themselves (person id)' })
  @IsMongoId()
  chairPersonId: string;

  @ApiPropertyOptional({ type: [String], description: 'Vice-chairs among the elected members (person ids)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(COMMITTEE_MAX_MEMBERS)
  @ArrayUnique()
  @IsMongoId({ each: true })
  viceChairPersonIds?: string[];
}

export class EndCommitteeTermDto {
  @ApiProperty({ example: '2026-03-31', description: 'Last day the term sat (inclusive)' })
  @IsISO8601({ strict: true })
  endedOn: string;

  @ApiProperty({ example: 'The assembly dissolved the committee (ballot of 2026-03-30)' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason: string;
}

export class VoidCommitteeTermDto {
  @ApiProperty({ example: 'Seated from a ballot that missed the quorum; street office decision no. 4' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason: string;
}

export class TermVoidView {
  @ApiProperty() reason: string;
  @ApiProperty() by: string;
  @ApiProperty() at: string;
}

export class CommitteeVotesView {
  @ApiProperty({ description: 'Owners who voted for the member' }) owners: number;
  @ApiProperty({ example: '1780.00', description: 'Their exclusive area, m²' }) area: string;
}

export class CommitteeMemberView {
  @ApiProperty() personId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: CommitteeRole }) role: CommitteeRole;
  @ApiPropertyOptional({
    type: CommitteeVotesView,
    description: 'Elected members: what the ballot gave them',
  })
  votes?: CommitteeVotesView;
}

export class TermEndView {
  @ApiProperty({ description: 'Last day the term sat' }) endedOn: string;
  @ApiProperty() reason: string;
  @ApiPropertyOptional({ description: 'Who recorded an early end; absent when the next term took over' })
  by?: string;
}

export class CommitteeTermView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty({ description: 'The 1st, 2nd, ... term of this community' }) number: number;
  @ApiProperty({ enum: TermSource }) source: TermSource;
  @ApiProperty() startsOn: string;
  @ApiProperty({ description: 'Last day as planned' }) endsOn: string;
  @ApiPropertyOptional({
    type: TermEndView,
    description: 'An end before the planned one: recorded early, or the next term started',
  })
  ended?: TermEndView;
  @ApiProperty({ enum: TermStatus, description: 'As of today (China time)' }) status: TermStatus;
  @ApiProperty({ type: [CommitteeMemberView], description: 'Chair first, then vice-chairs, then members' })
  members: CommitteeMemberView[];
  @ApiPropertyOptional() electionId?: string;
  @ApiPropertyOptional() ballotId?: string;
  @ApiPropertyOptional() basis?: string;
  @ApiPropertyOptional({ description: 'Elected terms: seats the ballot left empty' }) seatsEmpty?: number;
  @ApiPropertyOptional({ type: TermVoidView, description: 'Present when staff voided the term' }) voided?: TermVoidView;
  @ApiProperty() seatedBy: string;
  @ApiProperty() seatedAt: string;
}

export class CommitteeTodayView {
  @ApiProperty() communityId: string;
  @ApiProperty({ example: '2025-07-01', description: 'Today (China time)' }) on: string;
  @ApiPropertyOptional({
    type: CommitteeTermView,
    description: 'The sitting term; absent when no committee sits today',
  })
  term?: CommitteeTermView;
}

export class CommitteeHistoryView {
  @ApiProperty({
    type: [CommitteeTermView],
    description: 'Every term, newest first; terms are never deleted',
  })
  terms: CommitteeTermView[];
}

type OfTerm = InCommunity & { termId: string };

export const CommitteeRpc = {
  seat: rpc<InCommunity & { term: SeatCommitteeDto }, CommitteeTermView>('property.committee.seat'),
  seatElected: rpc<InCommunity & { term: SeatElectedCommitteeDto }, CommitteeTermView>(
    'property.committee.seat-elected',
  ),
  endTerm: rpc<OfTerm & { end: EndCommitteeTermDto }, CommitteeTermView>('property.committee.end-term'),
  voidTerm: rpc<OfTerm & { voiding: VoidCommitteeTermDto }, CommitteeTermView>('property.committee.void-term'),
  today: rpc<InCommunity, CommitteeTodayView>('property.committee.today'),
  history: rpc<InCommunity, CommitteeHistoryView>('property.committee.history'),
} as const;
