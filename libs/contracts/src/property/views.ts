import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AssemblyMatter, BallotStatus, MajorityRule, VoteChannel } from './dto';

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
}

export class BallotPage {
  @ApiProperty({ type: [BallotView] }) items: BallotView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class VoteReceipt {
  @ApiProperty() ballotId: string;
  @ApiProperty() ownerKey: string;
  @ApiProperty() option: string;
  @ApiProperty({ enum: VoteChannel }) channel: VoteChannel;
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

export class TallyResultView {
  @ApiProperty({ enum: MajorityRule }) majority: MajorityRule;
  @ApiProperty({ type: ElectorateFigures }) electorate: ElectorateFigures;
  @ApiProperty({ type: [TallyTestView] }) quorum: TallyTestView[];
  @ApiProperty() quorumMet: boolean;
  @ApiProperty({ type: [OptionTallyView] }) options: OptionTallyView[];
  @ApiProperty({ enum: ['no_quorum', 'carried', 'not_carried'] }) outcome: BallotOutcome;
  @ApiPropertyOptional() carriedOption?: string;
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
