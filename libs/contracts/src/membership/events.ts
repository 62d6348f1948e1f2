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
