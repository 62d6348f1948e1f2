import { DomainException, ErrorCode, Relation } from '@cg/contracts';

/** A unit, its building and the building's grid, as ids. */
export interface Place {
  unitId: string;
  buildingId: string;
  gridId: string;
}

export type ChangeKind = 'moved' | 'moved_out' | 'building_moved';

/** One recorded change of a person's residence; revision 1 is the first change after the registration. */
export interface ResidenceStep {
  revision: number;
  kind: ChangeKind;
  /** Null when the person moved out. */
  place: Place | null;
  relation: Relation;
  at: Date;
}

/** Where a person lives after their last recorded change. */
export interface ResidenceState {
  revision: number;
  place: Place | null;
  relation: Relation;
  /** When the current residence began (a building moving to another grid does not start a new one). */
  since: Date;
  /** The last unit lived in, kept after moving out. */
  lastPlace: Place;
  movedOutAt?: Date;
}

export interface ResidencePeriod {
  place: Place;
  relation: Relation;
  from: Date;
  until?: Date;
}

export interface Registration {
  place: Place;
  relation: Relation;
  at: Date;
}

/** Applies one change to a state; `steps` must arrive in revision order. */
export function applyStep(state: ResidenceState, step: ResidenceStep): ResidenceState {
  if (step.place === null) {
    return { revision: step.revision, place: null, relation: step.relation, since: step.at, lastPlace: state.lastPlace, movedOutAt: step.at };
  }
  const since = step.kind === 'building_moved' && state.place ? state.since : step.at;
  return { revision: step.revision, place: step.place, relation: step.relation, since, lastPlace: step.place };
}

export function initialState(registration: Registration): ResidenceState {
  return {
    revision: 0,
    place: registration.place,
    relation: registration.relation,
    since: registration.at,
    lastPlace: registration.place,
  };
}

/** The periods a person lived in each unit, oldest first; a building moving to another grid changes the period's grid. */
export function periodsOf(registration: Registration, steps: ResidenceStep[]): ResidencePeriod[] {
  const periods: ResidencePeriod[] = [{ place: registration.place, relation: registration.relation, from: registration.at }];
  for (const step of [...steps].sort((a, b) => a.revision - b.revision)) {
    const open = periods.length > 0 && periods[periods.length - 1].until === undefined ? periods[periods.length - 1] : undefined;
    if (step.kind === 'building_moved') {
      if (open && step.place) open.place = step.place;
      continue;
    }
    if (open) open.until = step.at;
    if (step.place) periods.push({ place: step.place, relation: step.relation, from: step.at });
  }
  return periods;
}

/**
 * Checks a move (to a place, or out when `to` is null) against the current residence. A move may not predate the
 * beginning of the current residence, nor lie in the future: history stays in order.
 */
export function checkMove(state: ResidenceState, to: Place | null, relation: Relation, at: Date, now: Date): void {
  if (at.getTime() > now.getTime() + 60_000) {
    throw new DomainException(ErrorCode.VALIDATION_FAILED, 'A move cannot be recorded ahead of time', [
      { field: 'movedAt', reason: 'must not be in the future' },
    ]);
  }
  const since = state.movedOutAt ?? state.since;
  if (at.getTime() < since.getTime()) {
    throw new DomainException(ErrorCode.INVALID_TRANSITION, 'A move cannot predate the current residence', [
      { field: 'movedAt', reason: `must not be before ${since.toISOString()}` },
    ]);
  }
  if (to === null && state.place === null) {
    throw new DomainException(ErrorCode.INVALID_TRANSITION, 'The resident has already moved out');
  }
  if (to !== null && state.place !== null && to.unitId === state.place.unitId && relation === state.relation) {
    throw new DomainException(ErrorCode.INVALID_TRANSITION, 'The resident already lives in this unit', [
      { field: 'unitId', reason: 'the current unit, with the same relation' },
    ]);
  }
}
