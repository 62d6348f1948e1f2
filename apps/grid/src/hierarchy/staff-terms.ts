import { BUILDING_POSITIONS, FieldError, GridPosition, NodeKind, POSITION_RANK } from '@cg/contracts';

/** Where a position may be held: building posts at a building; grid posts at a grid, an area or the community. */
export function positionProblems(position: GridPosition, nodeKind: NodeKind, department?: string): FieldError[] {
  const problems: FieldError[] = [];
  if (BUILDING_POSITIONS.includes(position)) {
    if (nodeKind !== NodeKind.Building) problems.push({ field: 'nodeId', reason: `${position} is held at a building` });
  } else if (nodeKind === NodeKind.Building || nodeKind === NodeKind.Unit) {
    problems.push({ field: 'nodeId', reason: `${position} is held at a grid, a residential area or the community` });
  }
  if (position === GridPosition.DepartmentOfficer && !department?.trim()) {
    problems.push({ field: 'department', reason: 'a department officer names the department' });
  }
  return problems;
}

/** A term runs from `since` (included) to `until` (excluded); an empty term is refused. */
export function termProblems(since: Date, until?: Date): FieldError[] {
  return until && until.getTime() <= since.getTime() ? [{ field: 'until', reason: 'must be after since' }] : [];
}

export interface Term {
  since: Date;
  until?: Date | null;
}

export function inForce(term: Term, at: Date): boolean {
  return term.since.getTime() <= at.getTime() && (!term.until || term.until.getTime() > at.getTime());
}

export interface Ranked {
  position: GridPosition;
  since: Date;
}

/** Grid head first, building party group leader last; the longer-serving first within a position. */
export function byRank(a: Ranked, b: Ranked): number {
  return POSITION_RANK.indexOf(a.position) - POSITION_RANK.indexOf(b.position) || a.since.getTime() - b.since.getTime();
}

/** Positions one person holds at a node at a time. */
export const SINGLE_HOLDER_POSITIONS: readonly GridPosition[] = [GridPosition.GridHead];

/**
 * The seat a new term takes: for a single-holder position, `<nodeId>:<position>` unless the term is already over when
 * recorded (history entered after the fact holds no seat).
 */
export function seatOf(nodeId: string, position: GridPosition, until: Date | undefined, now: Date): string | undefined {
  if (!SINGLE_HOLDER_POSITIONS.includes(position)) return undefined;
  if (until && until.getTime() <= now.getTime()) return undefined;
  return `${nodeId}:${position}`;
}
