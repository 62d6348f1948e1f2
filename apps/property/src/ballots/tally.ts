import type { BallotOutcome, ChannelCounts, OptionTallyView, TallyResultView, TallyTestName, TallyTestView } from '@cg/contracts';
import { MajorityRule } from '@cg/contracts';
import { formatHundredths } from '../owners/area';

/** An owner of the frozen electorate with their area weight. */
export interface ElectorWeight {
  ownerKey: string;
  areaHundredths: bigint;
  /** Units this owner holds; 1 when not given. */
  units?: number;
}

export interface CountedVote {
  ownerKey: string;
  option: string;
  /** online, paper or proxy; counted in `channels` when given. */
  channel?: string;
}

/** Votes counted by how they were cast. */
export function channelCounts(votes: readonly { channel?: string }[]): ChannelCounts {
  const counts: ChannelCounts = { online: 0, paper: 0, proxy: 0 };
  for (const vote of votes) if (vote.channel && vote.channel in counts) counts[vote.channel as keyof ChannelCounts] += 1;
  return counts;
}

export interface TallyInput {
  majority: MajorityRule;
  options: readonly string[];
  electorate: readonly ElectorWeight[];
  votes: readonly CountedVote[];
}

/** "At least" (以上) includes the figure; "more than" (过半数) does not. */
export interface Threshold {
  comparison: 'at_least' | 'more_than';
  numerator: bigint;
  denominator: bigint;
}

export const QUORUM: Threshold = { comparison: 'at_least', numerator: 2n, denominator: 3n };
export const ORDINARY_APPROVAL: Threshold = { comparison: 'more_than', numerator: 1n, denominator: 2n };
export const SPECIAL_APPROVAL: Threshold = { comparison: 'at_least', numerator: 3n, denominator: 4n };

/** Exact comparison by cross-multiplication. Nothing measured against an empty base passes. */
export function meets(value: bigint, base: bigint, t: Threshold): boolean {
  if (base <= 0n) return false;
  const left = value * t.denominator;
  const right = t.numerator * base;
  return t.comparison === 'at_least' ? left >= right : left > right;
}

/** The smallest value that meets the threshold for this base. */
export function required(base: bigint, t: Threshold): bigint {
  if (base <= 0n) return 1n;
  const product = t.numerator * base;
  return t.comparison === 'at_least' ? (product + t.denominator - 1n) / t.denominator : product / t.denominator + 1n;
}

function describe(t: Threshold): string {
  return `${t.comparison === 'at_least' ? 'at least' : 'more than'} ${t.numerator}/${t.denominator}`;
}

export function thresholdTest(name: TallyTestName, unit: 'm2' | 'owners', value: bigint, base: bigint, t: Threshold): TallyTestView {
  const format = unit === 'm2' ? formatHundredths : (n: bigint) => String(n);
  return {
    test: name,
    unit,
    value: format(value),
    base: format(base),
    threshold: describe(t),
    required: format(required(base, t)),
    passed: meets(value, base, t),
  };
}

/**
 * Counts a ballot under the double majority (Civil Code art. 278): quorum by area and by owners among all,
 * then for each option approval by area and by owners among those who took part. Exact integer arithmetic.
 * Throws on votes that cannot have been stored: an owner outside the electorate, a second vote, an unknown option.
 */
export function tally(input: TallyInput): TallyResultView {
  const weights = new Map<string, bigint>();
  let totalArea = 0n;
  let totalUnits = 0;
  for (const elector of input.electorate) {
    if (weights.has(elector.ownerKey)) throw new Error(`owner ${elector.ownerKey} appears twice in the electorate`);
    if (elector.areaHundredths < 0n) throw new Error(`owner ${elector.ownerKey} has a negative area`);
    weights.set(elector.ownerKey, elector.areaHundredths);
    totalArea += elector.areaHundredths;
    totalUnits += elector.units ?? 1;
  }
  const totalOwners = BigInt(weights.size);

  const perOption = new Map<string, { area: bigint; owners: bigint }>(input.options.map((o) => [o, { area: 0n, owners: 0n }]));
  const voted = new Set<string>();
  let participatingArea = 0n;
  for (const vote of input.votes) {
    const area = weights.get(vote.ownerKey);
    if (area === undefined) throw new Error(`owner ${vote.ownerKey} is not in the electorate`);
    if (voted.has(vote.ownerKey)) throw new Error(`owner ${vote.ownerKey} voted twice`);
    const bucket = perOption.get(vote.option);
    if (!bucket) throw new Error(`"${vote.option}" is not an option of this ballot`);
    voted.add(vote.ownerKey);
    participatingArea += area;
    bucket.area += area;
    bucket.owners += 1n;
  }
  const participatingOwners = BigInt(voted.size);

  const quorum = [
    thresholdTest('participation_area', 'm2', participatingArea, totalArea, QUORUM),
    thresholdTest('participation_owners', 'owners', participatingOwners, totalOwners, QUORUM),
  ];
  const quorumMet = quorum.every((t) => t.passed);
  const approval = input.majority === MajorityRule.Special ? SPECIAL_APPROVAL : ORDINARY_APPROVAL;
  const options: OptionTallyView[] = input.options.map((option) => {
    const { area, owners } = perOption.get(option)!;
    const tests = [
      thresholdTest('approval_area', 'm2', area, participatingArea, approval),
      thresholdTest('approval_owners', 'owners', owners, participatingOwners, approval),
    ];
    return { option, area: formatHundredths(area), owners: Number(owners), tests, carried: tests.every((t) => t.passed) };
  });
  // More than half, or at least three quarters, of both measures: at most one option can carry.
  const carried = quorumMet ? options.find((o) => o.carried) : undefined;
  const outcome: BallotOutcome = !quorumMet ? 'no_quorum' : carried ? 'carried' : 'not_carried';
  return {
    majority: input.majority,
    electorate: { owners: Number(totalOwners), units: totalUnits, area: formatHundredths(totalArea) },
    quorum,
    quorumMet,
    options,
    outcome,
    ...(carried && { carriedOption: carried.option }),
    channels: channelCounts(input.votes),
  };
}
