import { participation } from './participation';

const electors = [
  { ownerKey: 'buyer', units: [{ buildingId: 'b1', areaHundredths: 10000n }, { buildingId: 'b2', areaHundredths: 5000n }] },
  { ownerKey: 'p', units: [{ buildingId: 'b1', areaHundredths: 8000n }] },
  { ownerKey: 'q', units: [{ buildingId: 'b2', areaHundredths: 7000n }] },
];

describe('live participation', () => {
  it('counts nobody before the first vote', () => {
    const progress = participation(electors, new Set());
    expect(progress.overall).toEqual({ ownersVoted: 0, owners: 3, areaVoted: '0.00', area: '300.00', ownersPercent: '0.00', areaPercent: '0.00' });
    expect(progress.quorumReached).toBe(false);
  });

  it('counts an owner once overall and once in each building they hold a unit in, with the area there', () => {
    const progress = participation(electors, new Set(['buyer']));
    expect(progress.overall).toMatchObject({ ownersVoted: 1, owners: 3, areaVoted: '150.00', areaPercent: '50.00', ownersPercent: '33.33' });
    expect(progress.buildings).toEqual([
      { buildingId: 'b1', ownersVoted: 1, owners: 2, areaVoted: '100.00', area: '180.00', ownersPercent: '50.00', areaPercent: '55.55' },
      { buildingId: 'b2', ownersVoted: 1, owners: 2, areaVoted: '50.00', area: '120.00', ownersPercent: '50.00', areaPercent: '41.66' },
    ]);
  });

  it('lists the buildings with the lowest share of owners first and says when the quorum is reached', () => {
    const progress = participation(electors, new Set(['buyer', 'p']));
    expect(progress.buildings.map((b) => b.buildingId)).toEqual(['b2', 'b1']);
    expect(progress.quorumReached).toBe(true);
  });
});
