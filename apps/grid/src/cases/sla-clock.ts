import { DeadlineFlag } from '@cg/contracts';

/** A district's working calendar: weekdays work unless a holiday; weekend make-up days (调休) work. */
export interface WorkCalendar {
  /** Local time offset from UTC; China has no daylight saving. */
  utcOffsetMinutes: number;
  /** Working hours of a working day, in minutes after local midnight. */
  dayStartMinute: number;
  dayEndMinute: number;
  /** Local dates `YYYY-MM-DD` off work, weekday or not. */
  holidays: readonly string[];
  /** Local dates `YYYY-MM-DD` of weekends that are working days. */
  makeUpWorkdays: readonly string[];
  /** The last local date `YYYY-MM-DD` the holidays are known for; after it only weekends are days off. */
  through?: string;
}

/** Whether the calendar knows the holidays up to the local date of `at`: a deadline past it is provisional. */
export function covers(cal: WorkCalendar, at: Date): boolean {
  if (!cal.through) return false;
  return localDate(localMidnight(at.getTime(), cal), cal).iso <= cal.through;
}

export type SlaDuration = { workingHours: number } | { workingDays: number } | { sameDay: true };

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** No deadline is further than this many days; a calendar of only holidays would otherwise never end. */
const HORIZON_DAYS = 3660;

function localMidnight(at: number, cal: WorkCalendar): number {
  const offset = cal.utcOffsetMinutes * MINUTE;
  return Math.floor((at + offset) / DAY) * DAY - offset;
}

function localDate(midnight: number, cal: WorkCalendar): { iso: string; weekday: number } {
  const local = new Date(midnight + cal.utcOffsetMinutes * MINUTE);
  return { iso: local.toISOString().slice(0, 10), weekday: local.getUTCDay() };
}

export function isWorkingDay(midnight: number, cal: WorkCalendar): boolean {
  const { iso, weekday } = localDate(midnight, cal);
  if (cal.makeUpWorkdays.includes(iso)) return true;
  if (cal.holidays.includes(iso)) return false;
  return weekday !== 0 && weekday !== 6;
}

/** Adds working time: only the working hours of working days count. */
export function addWorkingHours(from: Date, hours: number, cal: WorkCalendar): Date {
  let remaining = Math.round(hours * 60) * MINUTE;
  let day = localMidnight(from.getTime(), cal);
  let cursor = from.getTime();
  for (let i = 0; i < HORIZON_DAYS; i += 1, day += DAY) {
    if (!isWorkingDay(day, cal)) continue;
    const open = Math.max(cursor, day + cal.dayStartMinute * MINUTE);
    const close = day + cal.dayEndMinute * MINUTE;
    if (open >= close) continue;
    if (remaining <= close - open) return new Date(open + remaining);
    remaining -= close - open;
    cursor = open;
  }
  throw new RangeError('No deadline within the calendar horizon');
}

/** The end of the working day that is the n-th working day after the day of `from`. */
export function addWorkingDays(from: Date, days: number, cal: WorkCalendar): Date {
  let day = localMidnight(from.getTime(), cal);
  let counted = 0;
  for (let i = 0; i < HORIZON_DAYS; i += 1) {
    day += DAY;
    if (isWorkingDay(day, cal)) counted += 1;
    if (counted === days) return new Date(day + cal.dayEndMinute * MINUTE);
  }
  throw new RangeError('No deadline within the calendar horizon');
}

/** The last millisecond of the local calendar day of `from`. */
export function endOfLocalDay(from: Date, cal: WorkCalendar): Date {
  return new Date(localMidnight(from.getTime(), cal) + DAY - 1);
}

export function deadlineAfter(from: Date, duration: SlaDuration, cal: WorkCalendar): Date {
  if ('sameDay' in duration) return endOfLocalDay(from, cal);
  if ('workingDays' in duration) return addWorkingDays(from, duration.workingDays, cal);
  return addWorkingHours(from, duration.workingHours, cal);
}

/**
 * Red once the deadline has passed; yellow in the last fifth of the time the case was given
 * (at least the last hour); green before.
 */
export function deadlineFlag(now: Date, startedAt: Date, dueAt: Date): DeadlineFlag {
  const left = dueAt.getTime() - now.getTime();
  if (left < 0) return DeadlineFlag.Red;
  const warning = Math.max((dueAt.getTime() - startedAt.getTime()) / 5, 60 * MINUTE);
  return left <= warning ? DeadlineFlag.Yellow : DeadlineFlag.Green;
}
