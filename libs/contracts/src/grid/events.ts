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

export interface CaseFiledData {
  caseId: string;
  category: string;
  urgency: string;
  unitId?: string;
  buildingId: string;
  gridId: string;
  /** The department the category routes the case to, when not the grid alone. */
  department?: string;
  reporterPersonId?: string;
  dueAt: string;
}

/** The grid signed for the case (签收): someone is on it. */
export interface CaseAcceptedData {
  caseId: string;
  gridId: string;
  category: string;
  reporterPersonId?: string;
}

export interface CaseAssignedData {
  caseId: string;
  gridId: string;
  assigneeKind: string;
  assigneeName: string;
  assigneePersonId?: string;
}

export interface CaseClosedData {
  caseId: string;
  gridId: string;
  category?: string;
  rating: string;
  /** The resident was satisfied (or basically so): the handler's service hours are credited on this event. */
  satisfied?: boolean;
  comment?: string;
  reporterPersonId?: string;
  /** The person who handled it, when the handler is a person known to membership. */
  handlerPersonId?: string;
  closedAt?: string;
}

export interface CaseEscalatedData {
  caseId: string;
  gridId: string;
  areaId: string;
  /** The level the case went up to: area, community or street. */
  level: string;
  dueAt: string;
}

/** The reporter rejected the result (a dissatisfied first rating): the case went back to be handled again. */
export interface CaseReopenedData {
  caseId: string;
  gridId: string;
  category: string;
  /** Who handled it before, when a person known to membership; the new assignment starts afresh. */
  handlerPersonId?: string;
  comment?: string;
  /** The new resolve deadline. */
  dueAt: string;
}

export const GridEvents = {
  caseResolved: event<CaseResolvedData>('evt.grid.case.resolved'),
  propertyCaseOpened: event<PropertyCaseOpenedData>('evt.grid.case.property-opened'),
  caseFiled: event<CaseFiledData>('evt.grid.case.filed'),
  caseAccepted: event<CaseAcceptedData>('evt.grid.case.accepted'),
  caseAssigned: event<CaseAssignedData>('evt.grid.case.assigned'),
  caseClosed: event<CaseClosedData>('evt.grid.case.closed'),
  caseEscalated: event<CaseEscalatedData>('evt.grid.case.escalated'),
  caseReopened: event<CaseReopenedData>('evt.grid.case.reopened'),
} as const;

export interface StaffChangedData {
  assignmentId: string;
  change: 'assigned' | 'ended';
  nodeId: string;
  nodeKind: string;
  position: string;
  name: string;
  personId?: string;
  department?: string;
  since: string;
  until?: string;
}

export interface BuildingMovedData {
  buildingId: string;
  buildingCode: string;
  fromGridId: string;
  toGridId: string;
  fromAreaId: string;
  toAreaId: string;
  movedAt: string;
}

export const GridHierarchyEvents = {
  staffChanged: event<StaffChangedData>('evt.grid.staff.changed'),
  buildingMoved: event<BuildingMovedData>('evt.grid.building.moved'),
} as const;

export interface ActionItemDueSoonData {
  actionItemId: string;
  meetingId: string;
  title: string;
  /** The local date `YYYY-MM-DD` the item is due on. */
  dueOn: string;
  ownerPersonId: string;
}

export const GridMeetingEvents = {
  /** An open action item is due within 24 hours; sent once per item. */
  actionItemDueSoon: event<ActionItemDueSoonData>('evt.grid.action-item.due-soon'),
} as const;
