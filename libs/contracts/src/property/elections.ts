import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEnum,
  IsISO8601,
  IsInt,
  IsMongoId,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import type { InCommunity } from '../grid/subjects';
import { rpc } from '../rpc';
import { BallotView } from './views';

/** How a candidate for the owners' committee came forward. */
export enum CandidateSource {
  SelfNominated = 'self_nominated',
  /** Nominated jointly by several owners. */
  JointlyNominated = 'jointly_nominated',
  /** Recommended by the community party organisation (its nomination suggestion right). */
  PartyRecommended = 'party_recommended',
  ResidentsCommitteeRecommended = 'residents_committee_recommended',
}

export enum EligibilityCheck {
  OwnerOfRecord = 'owner_of_record',
  LivesInCommunity = 'lives_in_community',
  NoFeeArrears = 'no_fee_arrears',
  NoRelativeAtPropertyCompany = 'no_relative_at_property_company',
}

/** The three rights of the community party committee (人选建议权、结构建议权、资格审查权). */
export enum PartyRight {
  NominationSuggestion = 'nomination_suggestion',
  CompositionSuggestion = 'composition_suggestion',
  QualificationReview = 'qualification_review',
}

export enum ElectionStatus {
  Nominating = 'nominating',
  /** Reviewed candidates are on public notice. */
  OnNotice = 'on_notice',
  /** The assembly ballot has been created. */
  Balloting = 'balloting',
}

/** Owners needed for a joint nomination. */
export const JOINT_NOMINATION_MIN_OWNERS = 5;

export class CreateElectionDto {
  @ApiProperty({ example: "Election of the 3rd owners' committee" })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({ minimum: 3, maximum: 15, example: 7, description: 'Seats on the committee' })
  @IsInt()
  @Min(3)
  @Max(15)
  seats: number;

  @ApiPropertyOptional({ enum: EligibilityCheck, isArray: true, description: 'Checks shown to the reviewer; all four by default' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(EligibilityCheck, { each: true })
  checks?: EligibilityCheck[];
}

export class NominateCandidateDto {
  @ApiProperty({ description: 'The candidate (person id)' })
  @IsMongoId()
  personId: string;

  @ApiProperty({ example: 'Zhao Min' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: [CandidateSource.SelfNominated, CandidateSource.JointlyNominated, CandidateSource.ResidentsCommitteeRecommended] })
  @IsEnum(CandidateSource)
  source: CandidateSource;

  @ApiPropertyOptional({ type: [String], description: `Owners nominating jointly (at least ${JOINT_NOMINATION_MIN_OWNERS})` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsMongoId({ each: true })
  nominatorPersonIds?: string[];

  @ApiPropertyOptional({ example: '10 years as a structural engineer' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  background?: string;

  @ApiPropertyOptional({ description: 'Is a party member' })
  @IsOptional()
  @IsBoolean()
  partyMember?: boolean;

  @ApiPropertyOptional({ description: 'Owes property fees (from the fee ledger); unknown when absent' })
  @IsOptional()
  @IsBoolean()
  feeArrears?: boolean;

  @ApiPropertyOptional({ description: 'A close relative works for the property company; unknown when absent' })
  @IsOptional()
  @IsBoolean()
  relativeAtPropertyCompany?: boolean;
}

export class SuggestedCandidateDto {
  @ApiProperty() @IsMongoId() personId: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) background?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() partyMember?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() feeArrears?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() relativeAtPropertyCompany?: boolean;
}

export class NominationSuggestionDto {
  @ApiProperty({ type: [SuggestedCandidateDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => SuggestedCandidateDto)
  candidates: SuggestedCandidateDto[];

  @ApiProperty({ example: 'Long-standing volunteers trusted in their buildings' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  reasons: string;
}

export class CompositionSuggestionDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 100, example: 50, description: 'Recommended share of party members, percent' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  partyMemberPercent?: number;

  @ApiPropertyOptional({ type: [String], example: ['engineering', 'law', 'finance'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  backgrounds?: string[];

  @ApiProperty({ example: 'The committee needs people who can read maintenance contracts' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  reasons: string;
}

export class QualificationReviewDto {
  @ApiProperty({ description: 'Qualified to stand' })
  @IsBoolean()
  approved: boolean;

  @ApiProperty({ example: 'Owner of record, lives here, no arrears' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  reasons: string;
}

export class PublicNoticeDto {
  @ApiProperty({
    example: '2025-06-10T18:00:00+08:00',
    description: 'End of the public notice period: at least 7 days (or the longer configured period) after publishing',
  })
  @IsISO8601({ strict: true })
  noticeEndsAt: string;
}

export class ElectionBallotDto {
  @ApiProperty({ example: '2025-06-11T08:00:00+08:00' })
  @IsISO8601({ strict: true })
  opensAt: string;

  @ApiProperty({ example: '2025-06-25T20:00:00+08:00' })
  @IsISO8601({ strict: true })
  closesAt: string;
}

export class EligibilityResultView {
  @ApiProperty({ enum: EligibilityCheck }) check: EligibilityCheck;
  @ApiProperty({ enum: ['passed', 'failed', 'unknown'] }) outcome: 'passed' | 'failed' | 'unknown';
  @ApiProperty() detail: string;
  @ApiProperty({
    enum: ['record', 'declared'],
    description: 'record: checked against the owner register or residence records; declared: as stated at nomination',
  })
  basis: 'record' | 'declared';
}

export class PartyRightRecordView {
  @ApiProperty({ enum: PartyRight }) right: PartyRight;
  @ApiProperty() by: string;
  @ApiProperty() at: string;
  @ApiProperty() reasons: string;
  @ApiPropertyOptional({ description: 'Qualification review: the candidate reviewed' }) candidateId?: string;
  @ApiPropertyOptional({ description: 'Qualification review: the decision' }) approved?: boolean;
  @ApiPropertyOptional({ type: [String], description: 'Nomination suggestion: the candidates proposed' }) candidateIds?: string[];
  @ApiPropertyOptional() partyMemberPercent?: number;
  @ApiPropertyOptional({ type: [String] }) backgrounds?: string[];
  @ApiPropertyOptional({ type: [EligibilityResultView], description: 'Qualification review: the checks the reviewer was shown' })
  checksShown?: EligibilityResultView[];
}

export class CandidateView {
  @ApiProperty() id: string;
  @ApiProperty() personId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: CandidateSource }) source: CandidateSource;
  @ApiProperty({ type: [String] }) nominatorPersonIds: string[];
  @ApiPropertyOptional() background?: string;
  @ApiPropertyOptional() partyMember?: boolean;
  @ApiProperty() nominatedBy: string;
  @ApiProperty({ type: [EligibilityResultView], description: 'The configured checks, run now' }) checks: EligibilityResultView[];
  @ApiProperty({ description: 'Every configured check passed' }) eligible: boolean;
  @ApiPropertyOptional({ type: PartyRightRecordView, description: 'The qualification review, once done' }) review?: PartyRightRecordView;
}

export class ElectionView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty() title: string;
  @ApiProperty() seats: number;
  @ApiProperty({ enum: EligibilityCheck, isArray: true }) checks: EligibilityCheck[];
  @ApiProperty({ enum: ElectionStatus }) status: ElectionStatus;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional() noticeEndsAt?: string;
  @ApiPropertyOptional({ description: 'When the candidates were published for public notice' }) publishedAt?: string;
  @ApiPropertyOptional({ type: [String], description: 'Candidates published for public notice' }) publishedCandidateIds?: string[];
  @ApiPropertyOptional() ballotId?: string;
  @ApiProperty({ type: [PartyRightRecordView], description: 'Every exercise of the party committee’s three rights, oldest first' })
  partyRights: PartyRightRecordView[];
  @ApiProperty({ type: [CandidateView] }) candidates: CandidateView[];
}

export class ElectionBallotView {
  @ApiProperty({ type: ElectionView }) election: ElectionView;
  @ApiProperty({ type: BallotView }) ballot: BallotView;
}

type OfElection = InCommunity & { electionId: string };

export const ElectionRpc = {
  create: rpc<InCommunity & { election: CreateElectionDto }, ElectionView>('property.elections.create'),
  get: rpc<OfElection, ElectionView>('property.elections.get'),
  nominate: rpc<OfElection & { candidate: NominateCandidateDto }, CandidateView>('property.elections.nominate'),
  suggestNominations: rpc<OfElection & { suggestion: NominationSuggestionDto }, ElectionView>('property.elections.suggest-nominations'),
  suggestComposition: rpc<OfElection & { suggestion: CompositionSuggestionDto }, ElectionView>('property.elections.suggest-composition'),
  review: rpc<OfElection & { candidateId: string; review: QualificationReviewDto }, CandidateView>('property.elections.review'),
  publish: rpc<OfElection & { notice: PublicNoticeDto }, ElectionView>('property.elections.publish'),
  startBallot: rpc<OfElection & { ballot: ElectionBallotDto }, ElectionBallotView>('property.elections.start-ballot'),
} as const;
