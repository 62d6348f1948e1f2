/** Leaderboards, summed from the score entries of a competition. Scores are in hundredths. */

export interface Team {
  buildingId: string;
  buildingCode: string;
  gridId: string;
}

export interface Points {
  buildingId: string;
  points: number;
}

export interface Standing extends Team {
  rank: number;
  score: number;
  entries: number;
}

export interface GridStanding {
  rank: number;
  gridId: string;
  score: number;
  buildings: number;
}

/** Competition ranking: equal scores share a rank and the next rank skips (1, 1, 3); ties listed by building code. */
export function rankTeams(teams: readonly Team[], entries: readonly Points[]): Standing[] {
  const totals = new Map(teams.map((t) => [t.buildingId, { score: 0, entries: 0 }]));
  for (const entry of entries) {
    const total = totals.get(entry.buildingId);
    if (!total) continue;
    total.score += entry.points;
    total.entries += 1;
  }
  const rows = teams
    .map((team) => ({ ...team, ...totals.get(team.buildingId)! }))
    .sort((a, b) => b.score - a.score || a.buildingCode.localeCompare(b.buildingCode));
  return withRanks(rows);
}

/** A grid's score is the sum of its buildings' scores. */
export function rankGrids(standings: readonly Standing[]): GridStanding[] {
  const grids = new Map<string, { gridId: string; score: number; buildings: number }>();
  for (const s of standings) {
    const grid = grids.get(s.gridId) ?? { gridId: s.gridId, score: 0, buildings: 0 };
    grid.score += s.score;
    grid.buildings += 1;
    grids.set(s.gridId, grid);
  }
  return withRanks([...grids.values()].sort((a, b) => b.score - a.score || a.gridId.localeCompare(b.gridId)));
}

function withRanks<T extends { score: number }>(sorted: T[]): (T & { rank: number })[] {
  let rank = 0;
  return sorted.map((row, i) => {
    if (i === 0 || sorted[i - 1].score !== row.score) rank = i + 1;
    return { ...row, rank };
  });
}
