import { NodeKind } from '@cg/contracts';
import type { FilterQuery } from 'mongoose';
import { Types } from 'mongoose';
import type { GridCase } from './case.schema';

/**
 * The cases a handler may see and act on. Community staff (and the system) act on every case of the community.
 * A grid worker acts where they hold a staff term in force: the cases of the grids they staff, and the cases that
 * escalated to the level they staff (an area's staff take the area's cases from the area level up, the community
 * office's staff those that reached the community).
 */
export type CaseScope =
  | { everywhere: true }
  | { everywhere: false; grids: string[]; areas: string[]; community: boolean };

/** Escalation levels as stored on a case: 0 grid, 1 area, 2 community, 3 street. */
export const AREA_LEVEL = 1;
export const COMMUNITY_LEVEL = 2;

export interface StaffedNode {
  id: string;
  kind: NodeKind;
}

export function scopeOfStaffing(staffed: StaffedNode[]): CaseScope {
  const of = (kind: NodeKind) => [...new Set(staffed.filter((n) => n.kind === kind).map((n) => n.id))];
  return {
    everywhere: false,
    grids: of(NodeKind.Grid),
    areas: of(NodeKind.Area),
    community: staffed.some((n) => n.kind === NodeKind.Community),
  };
}

export function inCaseScope(
  scope: CaseScope,
  record: { gridId: unknown; areaId: unknown; escalationLevel: number },
): boolean {
  if (scope.everywhere) return true;
  if (scope.grids.includes(String(record.gridId))) return true;
  if (record.escalationLevel >= AREA_LEVEL && scope.areas.includes(String(record.areaId))) return true;
  return record.escalationLevel >= COMMUNITY_LEVEL && scope.community;
}

/** The same rule as a query, for lists: undefined when the scope is the whole community. */
export function caseScopeFilter(scope: CaseScope): FilterQuery<GridCase> | undefined {
  if (scope.everywhere) return undefined;
  const ids = (list: string[]) => list.map((id) => new Types.ObjectId(id));
  const any: FilterQuery<GridCase>[] = [];
  if (scope.grids.length) any.push({ gridId: { $in: ids(scope.grids) } });
  if (scope.areas.length) any.push({ areaId: { $in: ids(scope.areas) }, escalationLevel: { $gte: AREA_LEVEL } });
  if (scope.community) any.push({ escalationLevel: { $gte: COMMUNITY_LEVEL } });
  // No staff term: nothing matches.
  return any.length ? { $or: any } : { _id: { $in: [] } };
}
