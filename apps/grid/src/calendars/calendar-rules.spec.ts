import { covers, deadlineAfter, isWorkingDay } from '../cases/sla-clock';
import { NATIONAL_YEARS, calendarYearProblems, composeCalendar } from './calendar-rules';

const at = (iso: string) => new Date(iso);
const midnight = (date: string) => Date.parse(`${date}T00:00:00+08:00`);

describe('working calendars as data', () => {
  it('cover the national years entered without a gap', () => {
    expect(composeCalendar(NATIONAL_YEARS).through).toBe('2026-12-31');
    const y2028 = { year: 2028, holidays: ['2028-01-01'], makeUpWorkdays: [] };
    expect(composeCalendar([...NATIONAL_YEARS, y2028]).through).toBe('2026-12-31');
    expect(composeCalendar([]).through).toBeUndefined();
  });

  it("add a district's own days to the national ones, without extending what is covered", () => {
    const local = { year: 2026, holidays: ['2026-12-07'], makeUpWorkdays: [] };
    const cal = composeCalendar(NATIONAL_YEARS, [local, { year: 2027, holidays: ['2027-03-01'], makeUpWorkdays: [] }]);
    expect(isWorkingDay(midnight('2026-12-07'), cal)).toBe(false);
    expect(isWorkingDay(midnight('2026-10-01'), cal)).toBe(false);
    expect(isWorkingDay(midnight('2026-10-10'), cal)).toBe(true);
    expect(cal.through).toBe('2026-12-31');
  });

  it('say when a deadline runs past the calendar: then it is provisional', () => {
    const cal = composeCalendar(NATIONAL_YEARS);
    const late = deadlineAfter(at('2026-12-28T10:00:00+08:00'), { workingDays: 5 }, cal);
    expect(covers(cal, late)).toBe(false);
    expect(covers(cal, at('2026-12-31T16:59:00+08:00'))).toBe(true);
    // 1 January 2027 is past the calendar: only a weekday is known about it, so it is not taken as known.
    expect(covers(cal, at('2027-01-01T10:00:00+08:00'))).toBe(false);
    expect(covers(composeCalendar([]), at('2026-06-01T10:00:00+08:00'))).toBe(false);
  });

  it('refuse dates outside the year, non-dates, weekday make-up days and a day both off and worked', () => {
    expect(calendarYearProblems(2027, { holidays: ['2027-01-01', '2027-02-30', '2026-12-31'], makeUpWorkdays: [] })).toEqual([
      { field: 'holidays[1]', reason: '2027-02-30 is not a date' },
      { field: 'holidays[2]', reason: '2026-12-31 is not in 2027' },
    ]);
    expect(calendarYearProblems(2027, { holidays: ['2027-02-06'], makeUpWorkdays: ['2027-02-06', '2027-02-08'] })).toEqual([
      { field: 'makeUpWorkdays[1]', reason: '2027-02-08 is a weekday, which is worked anyway' },
      { field: 'makeUpWorkdays[0]', reason: '2027-02-06 is also a holiday' },
    ]);
    expect(calendarYearProblems(2026, NATIONAL_YEARS[1])).toEqual([]);
    expect(calendarYearProblems(2025, NATIONAL_YEARS[0])).toEqual([]);
  });
});
