import { rankGrids, rankTeams } from './standings';

const teams = [
  { buildingId: 'b1', buildingCode: 'B001', gridId: 'g1' },
  { buildingId: 'b2', buildingCode: 'B002', gridId: 'g1' },
  { buildingId: 'b3', buildingCode: 'B003', gridId: 'g2' },
  { buildingId: 'b4', buildingCode: 'B004', gridId: 'g2' },
];

describe('competition leaderboards', () => {
  it('sums each building in hundredths and shares ranks on equal scores', () => {
    const standings = rankTeams(teams, [
      { buildingId: 'b3', points: 250 },
      { buildingId: 'b3', points: 150 },
      { buildingId: 'b1', points: 400 },
      { buildingId: 'b2', points: 100 },
      { buildingId: 'elsewhere', points: 999 },
    ]);
    expect(standings.map((s) => [s.rank, s.buildingCode, s.score, s.entries])).toEqual([
      [1, 'B001', 400, 1],
      [1, 'B003', 400, 2],
      [3, 'B002', 100, 1],
      [4, 'B004', 0, 0],
    ]);
  });

  it('ranks grids by the sum of their buildings', () => {
    const grids = rankGrids(
      rankTeams(teams, [
        { buildingId: 'b1', points: 100 },
        { buildingId: 'b3', points: 50 },
        { buildingId: 'b4', points: 70 },
      ]),
    );
    expect(grids).toEqual([
      { rank: 1, gridId: 'g2', score: 120, buildings: 2 },
      { rank: 2, gridId: 'g1', score: 100, buildings: 2 },
    ]);
  });
});
