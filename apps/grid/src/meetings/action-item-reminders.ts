import { localDate } from './meeting-lifecycle';

/** How long before its deadline the owner of an open action item is reminded. */
export const REMINDER_LEAD_MS = 24 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

/** An item is due by the end of its due date in China Standard Time (it is overdue from the next day). */
export function deadlineOf(dueDate: string): Date {
  return new Date(Date.parse(`${dueDate}T00:00:00+08:00`) + DAY_MS);
}

/** The due dates whose deadline has not passed at `now` but comes within the reminder lead. */
export function dueSoonDates(now: Date): string[] {
  const candidates = [...new Set([localDate(now), localDate(new Date(now.getTime() + REMINDER_LEAD_MS))])];
  return candidates.filter((date) => {
    const left = deadlineOf(date).getTime() - now.getTime();
    return left > 0 && left <= REMINDER_LEAD_MS;
  });
}

/** How often the grid service looks for action items to remind of; `GRID_REMINDER_SWEEP_MS`, default one minute. */
export function reminderSweepIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GRID_REMINDER_SWEEP_MS;
  if (raw === undefined || raw === '') return 60_000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1000 || value > 3_600_000) {
    throw new Error(`GRID_REMINDER_SWEEP_MS must be an integer between 1000 and 3600000, got "${raw}"`);
  }
  return value;
}
