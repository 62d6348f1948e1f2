import { event } from '../events';

/** Subjects and events of the activities service are added here as its features land. */
export const ACTIVITIES_SERVICE = 'activities';

export interface ShiftCompletedData {
  shiftId: string;
  /** The activity, grid task or school project the shift belonged to. */
  sourceId: string;
  personId: string;
  /** Hours served, a decimal string with up to two decimals, e.g. "2.50". */
  hours: string;
  completedAt: string;
}

export interface MicroWishFulfilledData {
  wishId: string;
  claimantKind: 'enterprise' | 'public_unit' | 'party_member';
  /** Set when the claimant is a person (a party member). */
  claimantPersonId?: string;
  fulfilledAt: string;
}

export const ActivitiesEvents = {
  shiftCompleted: event<ShiftCompletedData>('evt.activities.shift.completed'),
  microWishFulfilled: event<MicroWishFulfilledData>('evt.activities.micro-wish.fulfilled'),
} as const;
