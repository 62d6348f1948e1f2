/** A shift's hours are earned by working it: it may be completed from its start on, never before. */
export function mayCompleteShift(now: Date, startsAt: Date): boolean {
  return startsAt.getTime() <= now.getTime();
}
