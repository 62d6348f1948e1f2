import { event } from '../events';
import { Relation } from './dto';

export interface ResidentRegisteredData {
  personId: string;
  name: string;
  unitId: string;
  buildingId: string;
  gridId: string;
  relation: Relation;
}

export const MembershipEvents = {
  residentRegistered: event<ResidentRegisteredData>('evt.membership.resident.registered'),
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
