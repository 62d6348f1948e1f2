import { duplicateCodes, planUnits } from './unit-codes';

describe('planUnits', () => {
  it('numbers units by floor and two-digit door', () => {
    expect(planUnits(2, 3).map((u) => u.code)).toEqual(['101', '102', '103', '201', '202', '203']);
  });

  it('keeps the floor of every unit and makes floors × doors units', () => {
    const units = planUnits(18, 4);
    expect(units).toHaveLength(72);
    expect(units.find((u) => u.code === '1204')).toEqual({ code: '1204', floor: 12 });
  });
});

describe('duplicateCodes', () => {
  it('reports each repeated code once and nothing for unique lists', () => {
    expect(duplicateCodes(['B1', 'B2', 'B1', 'B1', 'B3', 'B2'])).toEqual(['B1', 'B2']);
    expect(duplicateCodes(['B1', 'B2'])).toEqual([]);
  });
});
