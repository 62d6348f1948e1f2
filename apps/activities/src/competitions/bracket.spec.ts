import {
  Bracket,
  bracketSize,
  matchKey,
  matchResultRefusal,
  resolveBracket,
  roundName,
  seedPositions,
} from './bracket';

const teams = (n: number) => Array.from({ length: n }, (_, i) => `B${String(i + 1).padStart(3, '0')}`);

/** Plays every ready match with the stronger seed winning (or the weaker, when asked), round by round. */
function playOut(seeds: string[], upset = false): { bracket: Bracket; winners: Map<string, string> } {
  const winners = new Map<string, string>();
  let bracket = resolveBracket(seeds, winners);
  while (!bracket.champion) {
    const ready = bracket.rounds.flat().filter((m) => m.state === 'ready');
    expect(ready.length).toBeGreaterThan(0);
    for (const match of ready) {
      const [strong, weak] = [match.home!, match.away!].sort((a, b) => a.seed - b.seed);
      winners.set(match.key, (upset ? weak : strong).team);
    }
    bracket = resolveBracket(seeds, winners);
  }
  return { bracket, winners };
}

describe('knockout brackets', () => {
  it('sizes the bracket to the power of two at or above the team count', () => {
    expect(bracketSize(2)).toBe(2);
    expect(bracketSize(5)).toBe(8);
    expect(bracketSize(8)).toBe(8);
    expect(bracketSize(286)).toBe(512);
  });

  it('places seeds so that the strongest two can only meet in the final', () => {
    expect(seedPositions(8)).toEqual([1, 8, 4, 5, 2, 7, 3, 6]);
    const positions = seedPositions(512);
    expect(new Set(positions).size).toBe(512);
    expect(positions.indexOf(1)).toBeLessThan(256);
    expect(positions.indexOf(2)).toBeGreaterThanOrEqual(256);
  });

  it('gives the 286 buildings of community K a 512 bracket with 226 byes in round one', () => {
    const bracket = resolveBracket(teams(286), new Map());
    expect(bracket).toMatchObject({ size: 512, teamCount: 286, byes: 226 });
    expect(bracket.rounds).toHaveLength(9);
    const first = bracket.rounds[0];
    expect(first).toHaveLength(256);
    expect(first.filter((m) => m.state === 'bye')).toHaveLength(226);
    expect(first.filter((m) => m.state === 'ready')).toHaveLength(30);
    // The byes go to the strongest seeds; seeds 227..286 play each other.
    const byeSeeds = first.filter((m) => m.state === 'bye').map((m) => m.winner!.seed);
    expect(Math.max(...byeSeeds)).toBe(226);
    const playing = first.filter((m) => m.state === 'ready').flatMap((m) => [m.home!.seed, m.away!.seed]);
    expect(playing.sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => 227 + i));
    // Every team appears exactly once in round one.
    const placed = first.flatMap((m) => [m.home?.team, m.away?.team]).filter(Boolean);
    expect(new Set(placed).size).toBe(286);
    // Byes advance at once: round two waits only on the matches actually played.
    expect(bracket.rounds[1].filter((m) => m.state === 'ready').length).toBe(128 - 30);
    expect(roundName(1, 9)).toBe('Round of 512');
    expect(roundName(9, 9)).toBe('Final');
  });

  it('advances winners round by round to a champion over 286 teams', () => {
    const { bracket, winners } = playOut(teams(286));
    expect(winners.size).toBe(285);
    expect(bracket.champion).toEqual({ team: 'B001', seed: 1 });
    const final = bracket.rounds[8][0];
    expect([final.home!.seed, final.away!.seed]).toEqual([1, 2]);
  });

  it('lets the weakest seed that plays a first-round match win it all', () => {
    const { bracket } = playOut(teams(5), true);
    // Five teams: seeds 4 and 5 meet in round one, the others have byes; upsets all the way let seed 5 win.
    expect(bracket.champion?.seed).toBe(5);
  });

  it('handles five teams: three byes, the 4-5 match, semi-finals and a final', () => {
    const seeds = teams(5);
    let bracket = resolveBracket(seeds, new Map());
    expect(bracket).toMatchObject({ size: 8, byes: 3 });
    expect(bracket.rounds[0].map((m) => m.state)).toEqual(['bye', 'ready', 'bye', 'bye']);
    expect(bracket.rounds[1].map((m) => m.state)).toEqual(['pending', 'ready']);
    expect(matchResultRefusal(bracket, 'R2M1', 'B001')?.message).toMatch(/waits/);
    expect(matchResultRefusal(bracket, 'R1M1', 'B001')?.message).toMatch(/bye/);
    expect(matchResultRefusal(bracket, 'R1M2', 'B001')?.message).toMatch(/does not play/);
    expect(matchResultRefusal(bracket, 'R7M1', 'B001')?.message).toMatch(/no match/);
    expect(matchResultRefusal(bracket, 'R1M2', 'B004')).toBeUndefined();
    const winners = new Map([[matchKey(1, 2), 'B004']]);
    bracket = resolveBracket(seeds, winners);
    expect(matchResultRefusal(bracket, 'R1M2', 'B005')?.message).toMatch(/already decided/);
    expect(bracket.rounds[1][0]).toMatchObject({ state: 'ready', home: { seed: 1 }, away: { seed: 4 } });
  });

  it('refuses a recorded winner that did not play in the match', () => {
    expect(() => resolveBracket(teams(4), new Map([['R1M1', 'B002']]))).toThrow(/did not play/);
    expect(() => resolveBracket(['B001'], new Map())).toThrow(/two teams/);
  });
});
