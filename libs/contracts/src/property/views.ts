import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AssemblyMatter, BallotStatus, CandidateChoice, MajorityRule, VoteChannel } from './dto';

export class OwnerRegisterSummary {
  @ApiProperty() communityId: string;
  @ApiProperty({ description: 'Units on the register' }) units: number;
  @ApiProperty({ description: 'Owners as counted for voting (one per headcount key)' }) owners: number;
  @ApiProperty({ example: '12345.67', description: 'Total exclusive area in m²' }) totalArea: string;
}

export class RegisteredUnitView {
  @ApiProperty() unitId: string;
  @ApiProperty() buildingId: string;
  @ApiProperty({ example: '89.50' }) exclusiveArea: string;
  @ApiProperty() voterPersonId: string;
  @ApiProperty() headcountKey: string;
  @ApiProperty() revision: number;
}

export class ElectorateFigures {
  @ApiProperty() owners: number;
  @ApiProperty() units: number;
  @ApiProperty({ example: '12345.67', description: 'm²' }) area: string;
}

export class BallotCandidateView {
  @ApiProperty() candidateId: string;
  @ApiProperty() personId: string;
  @ApiProperty() name: string;
}

export class BallotView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty() title: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ enum: AssemblyMatter }) matter: AssemblyMatter;
  @ApiProperty({ enum: MajorityRule }) majority: MajorityRule;
  @ApiProperty({ type: [String] }) options: string[];
  @ApiProperty() opensAt: string;
  @ApiProperty() closesAt: string;
  @ApiProperty({ enum: BallotStatus }) status: BallotStatus;
  @ApiProperty() createdBy: string;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional() openedAt?: string;
  @ApiPropertyOptional() closedAt?: string;
  @ApiPropertyOptional({ type: ElectorateFigures, description: 'Frozen when the ballot opens' })
  electorate?: ElectorateFigures;
  @ApiPropertyOptional({ description: 'Election ballots: seats to fill' }) seats?: number;
  @ApiPropertyOptional({
    type: [BallotCandidateView],
    description: 'Election ballots: the candidates, each voted for / against / abstain',
  })
  candidates?: BallotCandidateView[];
}

export class BallotPage {
  @ApiProperty({ type: [BallotView] }) items: BallotView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class ChoiceView {
  @ApiProperty() candidateId: string;
  @ApiProperty({ enum: CandidateChoice }) choice: CandidateChoice;
}

export class VoteReceipt {
  @ApiProperty() ballotId: string;
  @ApiProperty() ownerKey: string;
  @ApiPropertyOptional({ description: 'The option chosen (not on election ballots)' }) option?: string;
  @ApiPropertyOptional({ type: [ChoiceView], description: 'Election ballots: the choice on each candidate' }) choices?: ChoiceView[];
  @ApiProperty({ enum: VoteChannel }) channel: VoteChannel;
  @ApiPropertyOptional({ description: 'Proxy votes: the authorisation used' }) proxyId?: string;
  @ApiProperty({ example: '178.00', description: "The owner's area weight in m²" }) area: string;
  @ApiProperty() castAt: string;
}

export class ParticipationFigures {
  @ApiProperty() ownersVoted: number;
  @ApiProperty() owners: number;
  @ApiProperty({ example: '8000.00' }) areaVoted: string;
  @ApiProperty({ example: '12000.00' }) area: string;
  @ApiProperty({ example: '66.66', description: 'Percent, rounded down' }) ownersPercent: string;
  @ApiProperty({ example: '66.66', description: 'Percent, rounded down' }) areaPercent: string;
}

export class BuildingParticipation extends ParticipationFigures {
  @ApiProperty() buildingId: string;
}

export class BallotProgress {
  @ApiProperty() ballotId: string;
  @ApiProperty({ enum: BallotStatus }) status: BallotStatus;
  @ApiProperty({ type: ParticipationFigures }) overall: ParticipationFigures;
  @ApiProperty({ description: 'Both participation thresholds (2/3 of area and of owners) are reached' })
  quorumReached: boolean;
  @ApiProperty({ type: [BuildingParticipation], description: 'Lowest participation first, so staff know whom to remind' })
  buildings: BuildingParticipation[];
}

export type TallyTestName = 'participation_area' | 'participation_owners' | 'approval_area' | 'approval_owners';

export class TallyTestView {
  @ApiProperty({ enum: ['participation_area', 'participation_owners', 'approval_area', 'approval_owners'] })
  test: TallyTestName;
  @ApiProperty({ enum: ['m2', 'owners'] }) unit: 'm2' | 'owners';
  @ApiProperty({ example: '8000.00', description: 'The figure counted' }) value: string;
  @ApiProperty({ example: '12000.00', description: 'What it is measured against' }) base: string;
  @ApiProperty({ example: 'at least 2/3' }) threshold: string;
  @ApiProperty({ example: '8000.00', description: 'The smallest value that passes' }) required: string;
  @ApiProperty() passed: boolean;
}

export class OptionTallyView {
  @ApiProperty() option: string;
  @ApiProperty({ example: '5000.00' }) area: string;
  @ApiProperty() owners: number;
  @ApiProperty({ type: [TallyTestView] }) tests: TallyTestView[];
  @ApiProperty({ description: 'Both approval tests passed' }) carried: boolean;
}

export type BallotOutcome = 'no_quorum' | 'carried' | 'not_carried';

export class ChannelCounts {
  @ApiProperty() online: number;
  @ApiProperty() paper: number;
  @ApiProperty({ description: 'Cast by proxies for the owners who authorised them' }) proxy: number;
}

export class ChoiceFigures {
  @ApiProperty() owners: number;
  @ApiProperty({ example: '500.00' }) area: string;
}

export type CandidateVerdictName =
  | 'elected'
  | 'no_seat_left'
  | 'no_quorum'
  | 'area_not_over_half'
  | 'owners_not_over_half'
  | 'neither_over_half';

export class CandidateTallyView {
  @ApiProperty() candidateId: string;
  @ApiProperty() personId: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: ChoiceFigures, description: 'Owners (and their area) voting for' }) for: ChoiceFigures;
  @ApiProperty({ type: ChoiceFigures }) against: ChoiceFigures;
  @ApiProperty({ type: ChoiceFigures }) abstain: ChoiceFigures;
  @ApiProperty({ type: [TallyTestView], description: 'More than half of the participating area and owners voting for' })
  tests: TallyTestView[];
  @ApiProperty({
    enum: ['elected', 'no_seat_left', 'no_quorum', 'area_not_over_half', 'owners_not_over_half', 'neither_over_half'],
    description: 'Why the candidate was or was not elected',
  })
  verdict: CandidateVerdictName;
  @ApiPropertyOptional({ description: "Place among the passing candidates (owners' votes, then area, then nomination order)" })
  rank?: number;
}

export class SeatsResultView {
  @ApiProperty() seats: number;
  @ApiProperty() seatsFilled: number;
  @ApiProperty({ description: 'Seats no candidate won by the double majority: left empty' }) seatsEmpty: number;
  @ApiProperty({ type: [String], description: 'Candidate ids elected, in the order their seats were filled' }) elected: string[];
  @ApiProperty({ type: [CandidateTallyView], description: 'Every candidate, in ballot order' }) candidates: CandidateTallyView[];
}

export class TallyResultView {
  @ApiProperty({ enum: MajorityRule }) majority: MajorityRule;
  @ApiProperty({ type: ElectorateFigures }) electorate: ElectorateFigures;
  @ApiProperty({ type: [TallyTestView] }) quorum: TallyTestView[];
  @ApiProperty() quorumMet: boolean;
  @ApiProperty({ type: [OptionTallyView] }) options: OptionTallyView[];
  @ApiProperty({
    enum: ['no_quorum', 'carried', 'not_carried'],
    description: 'Election ballots: carried when at least one seat was filled',
  })
  outcome: BallotOutcome;
  @ApiPropertyOptional() carriedOption?: string;
  @ApiPropertyOptional({ type: ChannelCounts, description: 'Votes counted by how they were cast' }) channels?: ChannelCounts;
  @ApiPropertyOptional({ type: SeatsResultView, description: 'Election ballots: who fills which seat, and why' })
  seats?: SeatsResultView;
}

export class BallotResultView {
  @ApiProperty() ballotId: string;
  @ApiProperty() communityId: string;
  @ApiProperty({ type: TallyResultView }) result: TallyResultView;
  @ApiProperty({ description: 'SHA-256 of the frozen electorate' }) electorateHash: string;
  @ApiProperty({ description: 'SHA-256 of the votes counted' }) votesHash: string;
  @ApiProperty({ description: 'SHA-256 of the result' }) resultHash: string;
  @ApiProperty({ description: 'SHA-256 over the ballot, the three hashes above' }) recordHash: string;
  @ApiProperty() sealedAt: string;
}

export class ResultVerification {
  @ApiProperty() ballotId: string;
  @ApiProperty({ description: 'The stored record matches what the stored electorate and votes give today' }) valid: boolean;
  @ApiProperty() recordHash: string;
  @ApiProperty() recomputedRecordHash: string;
  @ApiProperty() electorateMatches: boolean;
  @ApiProperty() votesMatch: boolean;
  @ApiProperty({ description: 'A fresh tally of the stored votes gives the stored result' }) resultMatches: boolean;
}

export enum ProxyStatus {
  Active = 'active',
  /** The proxy has voted (or is voting) for the owner. */
  Used = 'used',
  Revoked = 'revoked',
}

export class ProxyView {
  @ApiProperty() id: string;
  @ApiProperty() ballotId: string;
  @ApiProperty({ description: 'The owner who authorised the proxy (headcount key)' }) ownerKey: string;
  @ApiProperty() unitId: string;
  @ApiProperty() proxyPersonId: string;
  @ApiProperty() proxyName: string;
  @ApiProperty() authorisation: string;
  @ApiProperty({ enum: ProxyStatus }) status: ProxyStatus;
  @ApiProperty() recordedBy: string;
  @ApiProperty() recordedAt: string;
  @ApiPropertyOptional() revokedBy?: string;
  @ApiPropertyOptional() revokedAt?: string;
  @ApiPropertyOptional() revokeReason?: string;
}
