import { event } from '../events';

export interface CaseResolvedData {
  caseId: string;
  category: string;
  /** The person who handled it, when the handler is a person known to membership. */
  handlerPersonId?: string;
  buildingId?: string;
  gridId: string;
  resolvedAt: string;
}

/** A case about the property company's work, so property can open a service request and link it back. */
export interface PropertyCaseOpenedData {
  caseId: string;
  category: string;
  description: string;
  unitId?: string;
  buildingId?: string;
  gridId: string;
  reportedAt: string;
}

export const GridEvents = {
  caseResolved: event<CaseResolvedData>('evt.grid.case.resolved'),
  propertyCaseOpened: event<PropertyCaseOpenedData>('evt.grid.case.property-opened'),
} as const;
