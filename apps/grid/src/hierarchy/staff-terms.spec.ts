import { GridPosition, NodeKind } from '@cg/contracts';
import { byRank, inForce, positionProblems, seatOf, termProblems } from './staff-terms';

const day = (d: string) => new Date(`${d}T00:00:00Z`);

describe('positionProblems', () => {
  it('keeps building posts at buildings and grid posts above them', () => {
    expect(positionProblems(GridPosition.BuildingLeader, NodeKind.Building)).toEqual([]);
    expect(positionProblems(GridPosition.BuildingPartyGroupLeader, NodeKind.Grid)).toEqual([
      { field: 'nodeId', reason: 'building_party_group_leader is held at a building' },
    ]);
    expect(positionProblems(GridPosition.GridHead, NodeKind.Grid)).toEqual([]);
    expect(positionProblems(GridPosition.ExecutiveDeputy, NodeKind.Area)).toEqual([]);
    expect(positionProblems(GridPosition.GridStaff, NodeKind.Building)).toHaveLength(1);
    expect(positionProblems(GridPosition.GridHead, NodeKind.Unit)).toHaveLength(1);
  });

  it('asks a department officer for the department', () => {
    expect(positionProblems(GridPosition.DepartmentOfficer, NodeKind.Grid, ' ')).toEqual([
      { field: 'department', reason: 'a department officer names the department' },
    ]);
    expect(positionProblems(GridPosition.DepartmentOfficer, NodeKind.Grid, 'Urban management')).toEqual([]);
  });
});

describe('terms', () => {
  it('refuses a term that ends before it starts or when it starts', () => {
    expect(termProblems(day('2025-01-01'), day('2025-01-01'))).toHaveLength(1);
    expect(termProblems(day('2025-01-02'), day('2025-01-01'))).toHaveLength(1);
    expect(termProblems(day('2025-01-01'))).toEqual([]);
  });

  it('is in force from its first instant up to, not including, its end', () => {
    const term = { since: day('2025-01-01'), until: day('2025-07-01') };
    expect(inForce(term, day('2024-12-31'))).toBe(false);
    expect(inForce(term, day('2025-01-01'))).toBe(true);
    expect(inForce(term, new Date('2025-06-30T23:59:59Z'))).toBe(true);
    expect(inForce(term, day('2025-07-01'))).toBe(false);
    expect(inForce({ since: day('2025-01-01'), until: null }, day('2030-01-01'))).toBe(true);
  });
});

describe('byRank', () => {
  it('lists the grid head first and the building posts last, longer-serving first', () => {
    const staff = [
      { name: 'party', position: GridPosition.BuildingPartyGroupLeader, since: day('2020-01-01') },
      { name: 'staff-new', position: GridPosition.GridStaff, since: day('2024-01-01') },
      { name: 'head', position: GridPosition.GridHead, since: day('2023-01-01') },
      { name: 'staff-old', position: GridPosition.GridStaff, since: day('2021-01-01') },
      { name: 'leader', position: GridPosition.BuildingLeader, since: day('2019-01-01') },
      { name: 'officer', position: GridPosition.DepartmentOfficer, since: day('2019-01-01') },
      { name: 'exec', position: GridPosition.ExecutiveDeputy, since: day('2022-01-01') },
      { name: 'full', position: GridPosition.FullTimeDeputy, since: day('2022-01-01') },
    ];
    expect(staff.sort(byRank).map((s) => s.name)).toEqual([
      'head', 'exec', 'full', 'staff-old', 'staff-new', 'officer', 'leader', 'party',
    ]);
  });
});

describe('seatOf', () => {
  const now = day('2026-06-01');
  it('gives a grid head the seat of the grid, and other positions none', () => {
    expect(seatOf('g1', GridPosition.GridHead, undefined, now)).toBe('g1:grid_head');
    expect(seatOf('g1', GridPosition.GridHead, day('2026-07-01'), now)).toBe('g1:grid_head');
    expect(seatOf('g1', GridPosition.GridStaff, undefined, now)).toBeUndefined();
    expect(seatOf('g1', GridPosition.ExecutiveDeputy, undefined, now)).toBeUndefined();
  });

  it('gives no seat to a term already over when it is recorded', () => {
    expect(seatOf('g1', GridPosition.GridHead, day('2026-05-01'), now)).toBeUndefined();
    expect(seatOf('g1', GridPosition.GridHead, now, now)).toBeUndefined();
  });
});
