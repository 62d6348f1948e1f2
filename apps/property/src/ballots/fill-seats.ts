import { ORDINARY_APPROVAL, QUORUM, meets } from './tally';

/** A candidate's "for" votes on a multi-seat election ballot; `order` is the nomination order (earlier first). */
export interface CandidateCount {
  candidateId: string;
  order: number;
  forOwners: bigint;
  forAreaHundredths: bigint;
}

export interface SeatsInput {
  seats: number;
  /** The whole frozen electorate. */
  totalOwners: bigint;
  totalAreaHundredths: bigint;
  /** Owners who returned the ballot, and their area. */
  participatingOwners: bigint;
  participatingAreaHundredths: bigint;
  candidates: readonly CandidateCount[];
}

export type CandidateVerdict =
  | 'elected'
  /** Passed both majorities, but every seat went to a candidate with more owners' votes. */
  | 'no_seat_left'
  | 'no_quorum'
  | 'area_not_over_half'
  | 'owners_not_over_half'
  | 'neither_over_half';

export interface CandidateSeat extends CandidateCount {
  verdict: CandidateVerdict;
  /** 1-based place among the passing candidates; absent for those who did not pass. */
  rank?: number;
}

export interface SeatsOutcome {
  quorumMet: boolean;
  seatsFilled: number;
  seatsEmpty: number;
  /** Elected candidates in the order their seats were filled. */
  elected: string[];
  /** Every candidate, in ballot order. */
  candidates: CandidateSeat[];
}

/**
 * Who a multi-seat election ballot elects (Civil Code art. 278). Without the quorum (at least 2/3 of the area and
 * at least 2/3 of the owners took part) nobody is elected. Otherwise a candidate passes only with "for" votes of more
 * than half of the participating area and more than half of the participating owners; the seats go to passing
 * candidates by owners' votes, then area, then earlier nomination. Seats no passing candidate takes stay empty.
 */
export function fillSeats(input: SeatsInput): SeatsOutcome {
  const quorumMet =
    meets(input.participatingAreaHundredths, input.totalAreaHundredths, QUORUM) &&
    meets(input.participatingOwners, input.totalOwners, QUORUM);
  const verdicts = new Map<string, CandidateVerdict>();
  for (const c of input.candidates) {
    if (!quorumMet) {
      verdicts.set(c.candidateId, 'no_quorum');
      continue;
    }
    const area = meets(c.forAreaHundredths, input.participatingAreaHundredths, ORDINARY_APPROVAL);
    const owners = meets(c.forOwners, input.participatingOwners, ORDINARY_APPROVAL);
    if (!area && !owners) verdicts.set(c.candidateId, 'neither_over_half');
    else if (!area) verdicts.set(c.candidateId, 'area_not_over_half');
    else if (!owners) verdicts.set(c.candidateId, 'owners_not_over_half');
  }
  const passing = input.candidates
    .filter((c) => !verdicts.has(c.candidateId))
    .sort(
      (a, b) =>
        compareDesc(a.forOwners, b.forOwners) || compareDesc(a.forAreaHundredths, b.forAreaHundredths) || a.order - b.order,
    );
  const ranks = new Map<string, number>();
  passing.forEach((c, i) => {
    ranks.set(c.candidateId, i + 1);
    verdicts.set(c.candidateId, i < input.seats ? 'elected' : 'no_seat_left');
  });
  const elected = passing.slice(0, input.seats).map((c) => c.candidateId);
  return {
    quorumMet,
    seatsFilled: elected.length,
    seatsEmpty: input.seats - elected.length,
    elected,
    candidates: input.candidates.map((c) => ({
      ...c,
      verdict: verdicts.get(c.candidateId)!,
      ...(ranks.has(c.candidateId) && { rank: ranks.get(c.candidateId) }),
    })),
  };
}

function compareDesc(a: bigint, b: bigint): number {
  return a > b ? -1 : a < b ? 1 : 0;
}
