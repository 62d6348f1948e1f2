import { NodeKind } from '@cg/contracts';
import { caseScopeFilter, inCaseScope, scopeOfStaffing } from './case-scope';

describe('which cases a handler may act on', () => {
  const gridA = '65f0000000000000000000a1';
  const gridB = '65f0000000000000000000b1';
  const area1 = '65f000000000000000000a01';
  const atGrid = (gridId: string, escalationLevel = 0) => ({ gridId, areaId: area1, escalationLevel });

  it('community staff act everywhere', () => {
    expect(inCaseScope({ everywhere: true }, atGrid(gridB))).toBe(true);
    expect(caseScopeFilter({ everywhere: true })).toBeUndefined();
  });

  it('a grid worker acts on the cases of the grids they staff, not of other grids', () => {
    const scope = scopeOfStaffing([{ id: gridA, kind: NodeKind.Grid }]);
    expect(inCaseScope(scope, atGrid(gridA))).toBe(true);
    expect(inCaseScope(scope, atGrid(gridB))).toBe(false);
    expect(inCaseScope(scope, atGrid(gridB, 3))).toBe(false);
  });

  it("an area's staff take the area's cases once they reach the area level", () => {
    const scope = scopeOfStaffing([{ id: area1, kind: NodeKind.Area }]);
    expect(inCaseScope(scope, atGrid(gridB, 0))).toBe(false);
    expect(inCaseScope(scope, atGrid(gridB, 1))).toBe(true);
    expect(inCaseScope(scope, { gridId: gridB, areaId: '65f000000000000000000a02', escalationLevel: 2 })).toBe(false);
  });

  it("the community office's staff take cases that reached the community", () => {
    const scope = scopeOfStaffing([{ id: 'c', kind: NodeKind.Community }]);
    expect(inCaseScope(scope, atGrid(gridB, 1))).toBe(false);
    expect(inCaseScope(scope, atGrid(gridB, 2))).toBe(true);
  });

  it('without a staff term in force nothing is in scope, and the list filter matches nothing', () => {
    const scope = scopeOfStaffing([{ id: 'b', kind: NodeKind.Building }]);
    expect(inCaseScope(scope, atGrid(gridA, 3))).toBe(false);
    expect(caseScopeFilter(scope)).toEqual({ _id: { $in: [] } });
  });
});
