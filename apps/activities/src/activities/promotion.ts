/** A registration on the waiting list, as the promotion rule sees it. */
export interface WaitingRegistration {
  headcount: number;
  queuePosition: number;
}

/**
 * Which waiting registrations move up when places free: in queue order, each one whose whole party fits
 * the places still left is promoted; a party too large keeps its place while smaller ones behind it move up.
 */
export function choosePromotions<T extends WaitingRegistration>(placesLeft: number, waiting: readonly T[]): T[] {
  const ordered = [...waiting].sort((a, b) => a.queuePosition - b.queuePosition);
  const chosen: T[] = [];
  let left = placesLeft;
  for (const registration of ordered) {
    if (left <= 0) break;
    if (registration.headcount <= left) {
      chosen.push(registration);
      left -= registration.headcount;
    }
  }
  return chosen;
}
