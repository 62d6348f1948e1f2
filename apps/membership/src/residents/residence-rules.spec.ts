import { DomainException, ErrorCode, Relation } from '@cg/contracts';
import { Place, ResidenceStep, applyStep, checkMove, initialState, periodsOf } from './residence-rules';

const A: Place = { unitId: 'u-a', buildingId: 'b-1', gridId: 'g-1' };
const B: Place = { unitId: 'u-b', buildingId: 'b-2', gridId: 'g-1' };
const day = (d: number) => new Date(Date.UTC(2024, 0, d));
const registration = { place: A, relation: Relation.Tenant, at: day(1) };

function codeOf(work: () => void): ErrorCode | undefined {
  try {
    work();
  } catch (error) {
    return (error as DomainException).code;
  }
  return undefined;
}

describe('residence history', () => {
  const steps: ResidenceStep[] = [
    { revision: 1, kind: 'moved', place: B, relation: Relation.Owner, at: day(10) },
    { revision: 2, kind: 'building_moved', place: { ...B, gridId: 'g-2' }, relation: Relation.Owner, at: day(15) },
    { revision: 3, kind: 'moved_out', place: null, relation: Relation.Owner, at: day(20) },
  ];

  it('ends the old residence when the new one begins and keeps both', () => {
    expect(periodsOf(registration, steps.slice(0, 1))).toEqual([
      { place: A, relation: Relation.Tenant, from: day(1), until: day(10) },
      { place: B, relation: Relation.Owner, from: day(10) },
    ]);
  });

  it('moves a period to the new grid when its building moves, without starting a new period', () => {
    const periods = periodsOf(registration, steps.slice(0, 2));
    expect(periods).toHaveLength(2);
    expect(periods[1]).toEqual({ place: { ...B, gridId: 'g-2' }, relation: Relation.Owner, from: day(10) });
  });

  it('closes the last period on moving out, whatever order the steps are given in', () => {
    const periods = periodsOf(registration, [...steps].reverse());
    expect(periods[1].until).toEqual(day(20));
    expect(periods).toHaveLength(2);
  });

  it('keeps the last unit and the residence start through the steps', () => {
    const state = steps.reduce(applyStep, initialState(registration));
    expect(state).toMatchObject({ revision: 3, place: null, lastPlace: { ...B, gridId: 'g-2' }, movedOutAt: day(20) });
    const regridded = steps.slice(0, 2).reduce(applyStep, initialState(registration));
    expect(regridded.since).toEqual(day(10));
  });
});

describe('checking a move', () => {
  const now = day(30);
  const state = initialState(registration);

  it('accepts a move to another unit, and a change of relation in the same unit', () => {
    expect(codeOf(() => checkMove(state, B, Relation.Tenant, day(5), now))).toBeUndefined();
    expect(codeOf(() => checkMove(state, A, Relation.Owner, day(5), now))).toBeUndefined();
  });

  it('refuses a move into the unit the resident already lives in as the same relation', () => {
    expect(codeOf(() => checkMove(state, A, Relation.Tenant, day(5), now))).toBe(ErrorCode.INVALID_TRANSITION);
  });

  it('refuses a move dated before the current residence began', () => {
    const moved = applyStep(state, { revision: 1, kind: 'moved', place: B, relation: Relation.Tenant, at: day(10) });
    expect(codeOf(() => checkMove(moved, A, Relation.Tenant, day(9), now))).toBe(ErrorCode.INVALID_TRANSITION);
  });

  it('refuses a move in the future', () => {
    expect(codeOf(() => checkMove(state, B, Relation.Tenant, day(31), now))).toBe(ErrorCode.VALIDATION_FAILED);
  });

  it('refuses moving out twice but lets a resident who moved out move back in', () => {
    const out = applyStep(state, { revision: 1, kind: 'moved_out', place: null, relation: Relation.Tenant, at: day(10) });
    expect(codeOf(() => checkMove(out, null, Relation.Tenant, day(11), now))).toBe(ErrorCode.INVALID_TRANSITION);
    expect(codeOf(() => checkMove(out, A, Relation.Tenant, day(11), now))).toBeUndefined();
  });
});
