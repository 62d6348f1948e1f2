import type { BallotOutcome, ChannelCounts } from './views';

/** The ids an audit entry needs ride in `data`; actor and community are on the envelope. */
export interface BallotOpenedData {
  ballotId: string;
  title: string;
  matter: string;
  opensAt: string;
  closesAt: string;
  electorate: { owners: number; units: number; area: string };
  /** Election ballots: seats to fill and the candidates on the ballot. */
  seats?: number;
  candidateIds?: string[];
}

/** Voting ends within a day; sent once per ballot. */
export interface BallotClosingSoonData {
  ballotId: string;
  title: string;
  closesAt: string;
}

export interface BallotClosedData {
  ballotId: string;
  closedAt: string;
  /** `schedule` when the ballot closed itself at its closing time. */
  closedBy: 'schedule' | 'organiser';
  outcome: BallotOutcome;
  quorumMet: boolean;
  carriedOption?: string;
  votesCounted: number;
  channels: ChannelCounts;
  recordHash: string;
  seatsFilled?: number;
  seatsEmpty?: number;
  electedCandidateIds?: string[];
}

export interface PaperVoteRecordedData {
  ballotId: string;
  voteId: string;
  ownerKey: string;
  unitId: string;
  paperNumber?: string;
}

export interface ProxyRecordedData {
  ballotId: string;
  proxyId: string;
  ownerKey: string;
  unitId: string;
  proxyPersonId: string;
}

export interface TermSeatedData {
  termId: string;
  number: number;
  source: string;
  startsOn: string;
  endsOn: string;
  memberPersonIds: string[];
  electionId?: string;
  ballotId?: string;
  seatsEmpty?: number;
}

export interface TermVoidedData {
  termId: string;
  number: number;
  reason: string;
  electionId?: string;
  ballotId?: string;
}
