import { DeadlineFlag } from '@cg/contracts';
import {
  WorkCalendar,
  addWorkingDays,
  addWorkingHours,
  deadlineAfter,
  deadlineFlag,
  isWorkingDay,
} from './sla-clock';
import { ESCALATION_PERIOD_MS, nextEscalationAt, slaTerms } from './sla-policy';
import { CaseUrgency } from '@cg/contracts';

/** National Day 2025: Wed 1 Oct to Wed 8 Oct off, across the weekend of 4-5 Oct; Sat 11 Oct is a make-up working day. */
const calendar: WorkCalendar = {
  utcOffsetMinutes: 8 * 60,
  dayStartMinute: 9 * 60,
  dayEndMinute: 17 * 60,
  holidays: [
    '2025-10-01',
    '2025-10-02',
    '2025-10-03',
    '2025-10-04',
    '2025-10-05',
    '2025-10-06',
    '2025-10-07',
    '2025-10-08',
  ],
  makeUpWorkdays: ['2025-09-28', '2025-10-11'],
};

const local = (iso: string) => new Date(`${iso}+08:00`);

describe('the SLA clock', () => {
  it('counts weekdays as working days, except holidays, and make-up weekend days as working', () => {
    const day = (d: string) => local(`${d}T00:00:00`).getTime();
    expect(isWorkingDay(day('2025-09-30'), calendar)).toBe(true);
    expect(isWorkingDay(day('2025-10-03'), calendar)).toBe(false);
    expect(isWorkingDay(day('2025-10-04'), calendar)).toBe(false);
    expect(isWorkingDay(day('2025-10-11'), calendar)).toBe(true);
    expect(isWorkingDay(day('2025-10-12'), calendar)).toBe(false);
    expect(isWorkingDay(day('2025-09-28'), calendar)).toBe(true);
  });

  it('jumps over a holiday that spans a weekend and ends the third working day on the make-up Saturday', () => {
    expect(addWorkingDays(local('2025-09-30T10:00:00'), 3, calendar)).toEqual(local('2025-10-11T17:00:00'));
    expect(addWorkingDays(local('2025-09-30T10:00:00'), 4, calendar)).toEqual(local('2025-10-13T17:00:00'));
  });

  it('carries working hours left at the end of the day to the next working day after the holiday', () => {
    expect(addWorkingHours(local('2025-09-30T15:00:00'), 4, calendar)).toEqual(local('2025-10-09T11:00:00'));
  });

  it('starts the clock at the opening of the day when a case is filed at night or on a weekend', () => {
    expect(addWorkingHours(local('2025-09-29T06:30:00'), 2, calendar)).toEqual(local('2025-09-29T11:00:00'));
    expect(addWorkingHours(local('2025-09-27T10:00:00'), 1, calendar)).toEqual(local('2025-09-28T10:00:00'));
    expect(addWorkingHours(local('2025-10-10T16:30:00'), 1, calendar)).toEqual(local('2025-10-11T09:30:00'));
  });

  it('fills a whole working day exactly to its end', () => {
    expect(addWorkingHours(local('2025-10-09T09:00:00'), 8, calendar)).toEqual(local('2025-10-09T17:00:00'));
  });

  it('gives an emergency until the end of the same calendar day, holiday or not', () => {
    const terms = slaTerms(1, CaseUrgency.Emergency);
    expect(deadlineAfter(local('2025-10-03T22:15:00'), terms.resolve, calendar)).toEqual(
      local('2025-10-03T23:59:59.999'),
    );
  });

  it('uses working days per category for normal cases and working hours for urgent ones', () => {
    expect(
      deadlineAfter(
        local('2025-09-30T10:00:00'),
        slaTerms(2, CaseUrgency.Normal).resolve,
        calendar,
      ),
    ).toEqual(local('2025-10-10T17:00:00'));
    expect(
      deadlineAfter(
        local('2025-09-30T10:00:00'),
        slaTerms(2, CaseUrgency.Urgent).resolve,
        calendar,
      ),
    ).toEqual(local('2025-10-09T10:00:00'));
  });

  it('flags green, then yellow in the last fifth of the time, then red once late', () => {
    const start = local('2025-10-09T09:00:00');
    const due = local('2025-10-14T09:00:00');
    expect(deadlineFlag(local('2025-10-10T09:00:00'), start, due)).toBe(DeadlineFlag.Green);
    expect(deadlineFlag(local('2025-10-13T10:00:00'), start, due)).toBe(DeadlineFlag.Yellow);
    expect(deadlineFlag(due, start, due)).toBe(DeadlineFlag.Yellow);
    expect(deadlineFlag(local('2025-10-14T09:00:01'), start, due)).toBe(DeadlineFlag.Red);
  });

  it('warns at least an hour ahead on a short deadline', () => {
    const start = local('2025-10-09T09:00:00');
    const due = local('2025-10-09T10:00:00');
    expect(deadlineFlag(local('2025-10-09T09:05:00'), start, due)).toBe(DeadlineFlag.Yellow);
  });

  it('escalates at the deadline, then one level per period, and stops at the street', () => {
    const due = local('2025-10-09T17:00:00');
    expect(nextEscalationAt(due, 0)).toEqual(due);
    expect(nextEscalationAt(due, 1)).toEqual(new Date(due.getTime() + ESCALATION_PERIOD_MS));
    expect(nextEscalationAt(due, 2)).toEqual(new Date(due.getTime() + 2 * ESCALATION_PERIOD_MS));
    expect(nextEscalationAt(due, 3)).toBeUndefined();
  });
});
