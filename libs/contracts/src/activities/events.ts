import { event } from '../events';

export interface ShiftCompletedData {
  shiftId: string;
  /** The activity, grid task or school project the shift belonged to. */
  sourceId: string;
  personId: string;
  /** Hours served, a decimal string with up to two decimals, e.g. "2.50". */
  hours: string;
  completedAt: string;
  /** The sign-up completed; membership may key its credit on it. */
  signUpId?: string;
}

export interface MicroWishFulfilledData {
  wishId: string;
  claimantKind: 'enterprise' | 'public_unit' | 'party_member';
  /** Set when the claimant is a person (a party member). */
  claimantPersonId?: string;
  fulfilledAt: string;
  /** The organisation or person that fulfilled the wish, for the service log. */
  claimantName?: string;
  /** The resident whose wish it was. */
  residentPersonId?: string;
}

export interface ActivityPublishedData {
  activityId: string;
  title: string;
  type: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
}

export interface RegistrationData {
  registrationId: string;
  activityId: string;
  personId: string;
  /** People this registration holds places for: the resident plus listed household members. */
  headcount: number;
  /** Place in the waiting list (waitlisted only). */
  queuePosition?: number;
  /** Cancelled registrations only: set when the activity itself was cancelled. */
  reason?: 'activity_cancelled';
}

export interface ActivityCancelledData {
  activityId: string;
  title: string;
  startsAt: string;
  cancelledAt: string;
}

export interface CheckedInData {
  registrationId: string;
  activityId: string;
  personId: string;
  headcount: number;
  checkedInAt: string;
}

export interface MicroWishClaimedData {
  wishId: string;
  claimantKind: 'enterprise' | 'public_unit' | 'party_member';
  claimantName: string;
  claimantPersonId?: string;
  claimedAt: string;
}

export interface MicroWishConfirmedData {
  wishId: string;
  residentPersonId: string;
  claimantKind: 'enterprise' | 'public_unit' | 'party_member';
  claimantPersonId?: string;
  confirmedAt: string;
}

export const ActivitiesEvents = {
  activityPublished: event<ActivityPublishedData>('evt.activities.activity.published'),
  activityCancelled: event<ActivityCancelledData>('evt.activities.activity.cancelled'),
  registrationConfirmed: event<RegistrationData>('evt.activities.registration.confirmed'),
  registrationWaitlisted: event<RegistrationData>('evt.activities.registration.waitlisted'),
  registrationPromoted: event<RegistrationData>('evt.activities.registration.promoted'),
  registrationCancelled: event<RegistrationData>('evt.activities.registration.cancelled'),
  checkedIn: event<CheckedInData>('evt.activities.registration.checked-in'),
  shiftCompleted: event<ShiftCompletedData>('evt.activities.shift.completed'),
  microWishClaimed: event<MicroWishClaimedData>('evt.activities.micro-wish.claimed'),
  microWishFulfilled: event<MicroWishFulfilledData>('evt.activities.micro-wish.fulfilled'),
  microWishConfirmed: event<MicroWishConfirmedData>('evt.activities.micro-wish.confirmed'),
} as const;
