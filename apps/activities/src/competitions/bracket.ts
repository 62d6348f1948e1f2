/**
 * Single-elimination brackets. Teams are seeded 1..n (1 strongest); the first round has the power of two at or
 * above n slots, and the seeds that would face a slot past n get a bye. Seeds are placed so that, if the stronger
 * team always wins, seed 1 meets seed 2 only in the final. Everything here is derived from the seed list and the
 * decided matches, so the stored state is just those two.
 */

export type MatchState = 'pending' | 'ready' | 'decided' | 'bye';

export interface Slot {
  team: string;
  seed: number;
}

export interface Match {
  key: string;
  round: number;
  index: number;
  state: MatchState;
  home?: Slot;
  away?: Slot;
  winner?: Slot;
}

export interface Bracket {
  size: number;
  teamCount: number;
  byes: number;
  rounds: Match[][];
  champion?: Slot;
}

export function bracketSize(teamCount: number): number {
  let size = 2;
  while (size < teamCount) size *= 2;
  return size;
}

/** Seed numbers in first-round slot order: [1, 8, 4, 5, 2, 7, 3, 6] for 8 slots. */
export function seedPositions(size: number): number[] {
  let order = [1];
  while (order.length < size) {
    const next = order.length * 2 + 1;
    order = order.flatMap((seed) => [seed, next - seed]);
  }
  return order;
}

export function matchKey(round: number, index: number): string {
  return `R${round}M${index}`;
}

export function parseMatchKey(key: string): { round: number; index: number } | undefined {
  const m = /^R(\d{1,2})M(\d{1,4})$/.exec(key);
  return m ? { round: Number(m[1]), index: Number(m[2]) } : undefined;
}

export function roundName(round: number, roundCount: number): string {
  const left = roundCount - round;
  if (left === 0) return 'Final';
  if (left === 1) return 'Semi-finals';
  if (left === 2) return 'Quarter-finals';
  return `Round of ${2 ** (left + 1)}`;
}

/**
 * The whole bracket from the seeds (strongest first) and the winners recorded so far, by match key.
 * Throws when a recorded winner is not one of the match's two teams, which the recording rule prevents.
 */
export function resolveBracket(seeds: string[], winners: ReadonlyMap<string, string>): Bracket {
  if (seeds.length < 2) throw new Error('A bracket needs at least two teams');
  if (new Set(seeds).size !== seeds.length) throw new Error('A team is seeded twice');
  const size = bracketSize(seeds.length);
  const slots: (Slot | undefined)[] = seedPositions(size).map((seed) =>
    seed <= seeds.length ? { team: seeds[seed - 1], seed } : undefined,
  );
  const rounds: Match[][] = [];
  // Round one: an empty slot is a bye; every later round takes the winners of two matches of the round before.
  let entrants: (Slot | undefined | 'waiting')[] = slots;
  for (let round = 1; entrants.length > 1; round += 1) {
    const matches: Match[] = [];
    for (let i = 0; i < entrants.length / 2; i += 1) {
      const home = entrants[2 * i];
      const away = entrants[2 * i + 1];
      const key = matchKey(round, i + 1);
      const match: Match = { key, round, index: i + 1, state: 'pending' };
      if (home !== 'waiting' && home) match.home = home;
      if (away !== 'waiting' && away) match.away = away;
      if (round === 1 && (!home || !away)) {
        match.state = 'bye';
        match.winner = (home || away) as Slot;
      } else if (home !== 'waiting' && away !== 'waiting' && home && away) {
        const winner = winners.get(key);
        if (winner === undefined) {
          match.state = 'ready';
        } else {
          const slot = [home, away].find((s) => s.team === winner);
          if (!slot) throw new Error(`The winner of ${key} did not play in it`);
          match.state = 'decided';
          match.winner = slot;
        }
      }
      matches.push(match);
    }
    rounds.push(matches);
    entrants = matches.map((m) => m.winner ?? 'waiting');
  }
  const final = rounds[rounds.length - 1][0];
  return {
    size,
    teamCount: seeds.length,
    byes: size - seeds.length,
    rounds,
    ...(final.winner && { champion: final.winner }),
  };
}

export type Refusal = { kind: 'unknown' | 'bye' | 'decided' | 'pending' | 'not_playing'; message: string };

/** Why a winner cannot be recorded for the match now, or undefined when it can. */
export function matchResultRefusal(bracket: Bracket, key: string, winner: string): Refusal | undefined {
  const at = parseMatchKey(key);
  const match = at && bracket.rounds[at.round - 1]?.[at.index - 1];
  if (!match) return { kind: 'unknown', message: `There is no match ${key} in this bracket` };
  if (match.state === 'bye') return { kind: 'bye', message: `Match ${key} is a bye` };
  if (match.state === 'decided') return { kind: 'decided', message: `Match ${key} is already decided` };
  if (match.state === 'pending')
    return { kind: 'pending', message: `Match ${key} waits for earlier matches` };
  if (match.home?.team !== winner && match.away?.team !== winner) {
    return { kind: 'not_playing', message: `That building does not play in match ${key}` };
  }
  return undefined;
}

/** The team that lost a ready match won by `winner`. */
export function loserOf(bracket: Bracket, key: string, winner: string): string | undefined {
  const at = parseMatchKey(key)!;
  const match = bracket.rounds[at.round - 1][at.index - 1];
  return match.home?.team === winner ? match.away?.team : match.home?.team;
}
