import { FieldError } from '@cg/contracts';
import { WorkCalendar } from '../cases/sla-clock';

/** Working hours in China's offices: 9:00 to 17:00, UTC+8, no daylight saving. */
export const WORKDAY = { utcOffsetMinutes: 8 * 60, dayStartMinute: 9 * 60, dayEndMinute: 17 * 60 } as const;

export interface CalendarYear {
  year: number;
  holidays: readonly string[];
  makeUpWorkdays: readonly string[];
}

/**
 * The State Council's holiday arrangements (法定节假日与调休) as published, entered when a database is new; later
 * years are entered through the API as they are published.
 */
export const NATIONAL_YEARS: readonly CalendarYear[] = [
  {
    year: 2025,
    holidays: ['2025-01-01', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03', '2025-02-04', '2025-04-04', '2025-04-05', '2025-04-06', '2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04', '2025-05-05', '2025-05-31', '2025-06-01', '2025-06-02', '2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08'],
    makeUpWorkdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  {
    year: 2026,
    holidays: ['2026-01-01', '2026-01-02', '2026-01-03', '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23', '2026-04-04', '2026-04-05', '2026-04-06', '2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05', '2026-06-19', '2026-06-20', '2026-06-21', '2026-09-25', '2026-09-26', '2026-09-27', '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
    makeUpWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
];

/**
 * One calendar from the national years and a district's own days (days off it adds, weekend days it works). It covers
 * the national years entered without a gap from the first one; `through` is the last date of those.
 */
export function composeCalendar(national: readonly CalendarYear[], local: readonly CalendarYear[] = []): WorkCalendar {
  const years = [...national, ...local];
  const covered = [...new Set(national.map((y) => y.year))].sort((a, b) => a - b);
  let last = covered[0];
  for (const year of covered.slice(1)) {
    if (year !== last + 1) break;
    last = year;
  }
  return {
    ...WORKDAY,
    holidays: years.flatMap((y) => y.holidays),
    makeUpWorkdays: years.flatMap((y) => y.makeUpWorkdays),
    ...(last !== undefined && { through: `${last}-12-31` }),
  };
}

/** What is wrong with a year as entered: dates outside the year or not dates, a day both off and worked. */
export function calendarYearProblems(year: number, days: Omit<CalendarYear, 'year'>): FieldError[] {
  const problems: FieldError[] = [];
  const check = (field: 'holidays' | 'makeUpWorkdays', dates: readonly string[]) =>
    dates.forEach((date, i) => {
      const at = new Date(`${date}T00:00:00Z`);
      if (Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== date) {
        problems.push({ field: `${field}[${i}]`, reason: `${date} is not a date` });
      } else if (at.getUTCFullYear() !== year) {
        problems.push({ field: `${field}[${i}]`, reason: `${date} is not in ${year}` });
      } else if (field === 'makeUpWorkdays' && at.getUTCDay() !== 0 && at.getUTCDay() !== 6) {
        problems.push({ field: `${field}[${i}]`, reason: `${date} is a weekday, which is worked anyway` });
      }
    });
  check('holidays', days.holidays);
  check('makeUpWorkdays', days.makeUpWorkdays);
  const off = new Set(days.holidays);
  days.makeUpWorkdays.forEach((date, i) => {
    if (off.has(date)) problems.push({ field: `makeUpWorkdays[${i}]`, reason: `${date} is also a holiday` });
  });
  return problems;
}
