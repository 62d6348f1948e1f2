import { event } from '../events';
import { Role } from '../principal';
import { BodyKind, PositionKind } from './bodies';
import { Relation } from './dto';

export interface ResidentRegisteredData {
  personId: string;
  name: string;
  unitId: string;
  buildingId: string;
  gridId: string;
  relation: Relation;
}

/** Where a resident lives: a unit, its building and the building's grid. */
export interface ResidencePlace {
  unitId: string;
  buildingId: string;
  gridId: string;
}

/**
 * A resident's residence changed: moved to another unit, moved out (`to` is null), or their building moved to
 * another grid. `revision` counts the person's changes (the registration is 0); readers keep the highest.
 */
export interface ResidentMovedData {
  personId: string;
  name: string;
  /** Null when the person had moved out before. */
  from: ResidencePlace | null;
  /** Null when the person moves out of the community. */
  to: ResidencePlace | null;
  relation: Relation;
  movedAt: string;
  revision: number;
  reason: 'moved' | 'moved_out' | 'building_moved';
}

export const MembershipEvents = {
  residentRegistered: event<ResidentRegisteredData>('evt.membership.resident.registered'),
  residentMoved: event<ResidentMovedData>('evt.membership.resident.moved'),
} as const;

/** Source of a unit's exclusive floor area, in order of preference. */
export type AreaSource = 'register' | 'surveyed' | 'contract';

/**
 * The ownership of one unit as it stands now; published whenever it changes, so readers keep a copy of the
 * owner register. Later versions of the same unit replace earlier ones (compare `revision`).
 */
export interface OwnershipRecordedData {
  unitId: string;
  buildingId: string;
  gridId: string;
  /** Exclusive floor area in m², a decimal string with two decimals, e.g. "89.50". Never a float. */
  exclusiveArea: string;
  areaSource: AreaSource;
  ownerPersonIds: string[];
  /** The co-owner who votes for this unit; `developer` for the developer's unsold units. */
  voterPersonId: string;
  /**
   * Headcount key: units with the same key count as one owner (one buyer of several units; all unsold units
   * of the developer share the key `developer`).
   */
  headcountKey: string;
  /** Increases with every change of this unit's ownership. */
  revision: number;
  /** Unsold or undelivered: `ownerPersonIds` is empty and the unit counts with the developer's others. */
  heldByDeveloper?: boolean;
}

export const MembershipOwnerEvents = {
  ownershipRecorded: event<OwnershipRecordedData>('evt.membership.ownership.recorded'),
} as const;

/** An account was created for staff or officials; published once per community it acts in. */
export interface AccountCreatedData {
  accountId: string;
  username: string;
  name: string;
  roles: Role[];
  communityIds: string[];
}

export const MembershipAccountEvents = {
  accountCreated: event<AccountCreatedData>('evt.membership.account.created'),
} as const;

/** A person's term in a position of a body (a committee seat, a party post): the positions that give roles at login. */
export interface PositionTermData {
  termId: string;
  bodyId: string;
  bodyKind: BodyKind;
  bodyName: string;
  personId: string;
  name: string;
  position: PositionKind;
  from: string;
  to?: string;
}

export const MembershipPositionEvents = {
  appointed: event<PositionTermData>('evt.membership.position.appointed'),
  termEnded: event<PositionTermData>('evt.membership.position.term-ended'),
} as const;
