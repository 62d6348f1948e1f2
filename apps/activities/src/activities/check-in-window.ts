/** How long before and after an activity's start the door may check people in. */
export interface CheckInTerms {
  /** Check-in opens this long before the start. */
  opensBeforeMs: number;
  /** Without an end, check-in closes this long after the start. */
  closesAfterStartMs: number;
}

export type CheckInState = 'not_open' | 'open' | 'closed';

/** Open from `opensBeforeMs` before the start up to the end (or start + `closesAfterStartMs`), both bounds included. */
export function checkInWindow(now: Date, startsAt: Date, endsAt: Date | undefined, terms: CheckInTerms): CheckInState {
  const opens = startsAt.getTime() - terms.opensBeforeMs;
  const closes = endsAt ? endsAt.getTime() : startsAt.getTime() + terms.closesAfterStartMs;
  if (now.getTime() < opens) return 'not_open';
  if (now.getTime() > closes) return 'closed';
  return 'open';
}
