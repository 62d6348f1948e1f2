import type { CandidateTallyView, ChoiceFigures, TallyResultView } from '@cg/contracts';
import { CandidateChoice, MajorityRule } from '@cg/contracts';
import { formatHundredths } from '../owners/area';
import { fillSeats } from './fill-seats';
import { ElectorWeight, ORDINARY_APPROVAL, QUORUM, channelCounts, thresholdTest } from './tally';

export interface ElectionVote {
  ownerKey: string;
  choices: readonly { candidateId: string; choice: CandidateChoice }[];
  channel?: string;
}

export interface ElectionTallyInput {
  seats: number;
  /** In nomination order: the last tie-break. */
  candidates: readonly { candidateId: string; personId: string; name: string }[];
  electorate: readonly ElectorWeight[];
  votes: readonly ElectionVote[];
}

interface Sums {
  owners: bigint;
  area: bigint;
}

const figures = (s: Sums): ChoiceFigures => ({ owners: Number(s.owners), area: formatHundredths(s.area) });

/**
 * Counts a multi-seat election ballot: each owner voted for, against or abstained on every candidate. The quorum
 * is the ballot's; each candidate's "for" votes are measured against the owners who took part; `fillSeats` decides.
 * Throws on votes that cannot have been stored, as `tally` does.
 */
export function electionTally(input: ElectionTallyInput): TallyResultView {
  const weights = new Map<string, bigint>();
  let totalArea = 0n;
  let totalUnits = 0;
  for (const elector of input.electorate) {
    if (weights.has(elector.ownerKey)) throw new Error(`owner ${elector.ownerKey} appears twice in the electorate`);
    weights.set(elector.ownerKey, elector.areaHundredths);
    totalArea += elector.areaHundredths;
    totalUnits += elector.units ?? 1;
  }
  const sums = new Map(
    input.candidates.map((c) => [
      c.candidateId,
      Object.fromEntries(Object.values(CandidateChoice).map((k) => [k, { owners: 0n, area: 0n }])) as Record<CandidateChoice, Sums>,
    ]),
  );
  const voted = new Set<string>();
  let participatingArea = 0n;
  for (const vote of input.votes) {
    const area = weights.get(vote.ownerKey);
    if (area === undefined) throw new Error(`owner ${vote.ownerKey} is not in the electorate`);
    if (voted.has(vote.ownerKey)) throw new Error(`owner ${vote.ownerKey} voted twice`);
    voted.add(vote.ownerKey);
    participatingArea += area;
    for (const { candidateId, choice } of vote.choices) {
      const bucket = sums.get(candidateId)?.[choice];
      if (!bucket) throw new Error(`"${candidateId}" / "${choice}" is not a choice on this ballot`);
      bucket.owners += 1n;
      bucket.area += area;
    }
  }
  const participatingOwners = BigInt(voted.size);
  const totalOwners = BigInt(weights.size);
  const seats = fillSeats({
    seats: input.seats,
    totalOwners,
    totalAreaHundredths: totalArea,
    participatingOwners,
    participatingAreaHundredths: participatingArea,
    candidates: input.candidates.map((c, order) => ({
      candidateId: c.candidateId,
      order,
      forOwners: sums.get(c.candidateId)!.for.owners,
      forAreaHundredths: sums.get(c.candidateId)!.for.area,
    })),
  });
  const quorum = [
    thresholdTest('participation_area', 'm2', participatingArea, totalArea, QUORUM),
    thresholdTest('participation_owners', 'owners', participatingOwners, totalOwners, QUORUM),
  ];
  const candidates: CandidateTallyView[] = input.candidates.map((c, i) => {
    const s = sums.get(c.candidateId)!;
    const seat = seats.candidates[i];
    return {
      candidateId: c.candidateId,
      personId: c.personId,
      name: c.name,
      for: figures(s.for),
      against: figures(s.against),
      abstain: figures(s.abstain),
      tests: [
        thresholdTest('approval_area', 'm2', s.for.area, participatingArea, ORDINARY_APPROVAL),
        thresholdTest('approval_owners', 'owners', s.for.owners, participatingOwners, ORDINARY_APPROVAL),
      ],
      verdict: seat.verdict,
      ...(seat.rank !== undefined && { rank: seat.rank }),
    };
  });
  return {
    majority: MajorityRule.Ordinary,
    electorate: { owners: Number(totalOwners), units: totalUnits, area: formatHundredths(totalArea) },
    quorum,
    quorumMet: seats.quorumMet,
    options: [],
    outcome: !seats.quorumMet ? 'no_quorum' : seats.seatsFilled > 0 ? 'carried' : 'not_carried',
    channels: channelCounts(input.votes),
    seats: {
      seats: input.seats,
      seatsFilled: seats.seatsFilled,
      seatsEmpty: seats.seatsEmpty,
      elected: seats.elected,
      candidates,
    },
  };
}
