import { deadlineOf, dueSoonDates, reminderSweepIntervalMs } from './action-item-reminders';

describe('action item reminders', () => {
  it('puts the deadline at the end of the due date in China Standard Time', () => {
    expect(deadlineOf('2026-03-10').toISOString()).toBe('2026-03-10T16:00:00.000Z');
  });

  it('reminds of the items due today, local time', () => {
    expect(dueSoonDates(new Date('2026-03-10T08:00:00+08:00'))).toEqual(['2026-03-10']);
    // 23:59 local: today's items are still due within the lead.
    expect(dueSoonDates(new Date('2026-03-10T23:59:00+08:00'))).toEqual(['2026-03-10']);
  });

  it('moves to the next day at local midnight, not UTC midnight', () => {
    expect(dueSoonDates(new Date('2026-03-10T16:00:00Z'))).toEqual(['2026-03-11']);
    expect(dueSoonDates(new Date('2026-03-10T15:59:59Z'))).toEqual(['2026-03-10']);
  });

  it('validates the sweep interval', () => {
    expect(reminderSweepIntervalMs({})).toBe(60_000);
    expect(reminderSweepIntervalMs({ GRID_REMINDER_SWEEP_MS: '5000' })).toBe(5000);
    expect(() => reminderSweepIntervalMs({ GRID_REMINDER_SWEEP_MS: '10' })).toThrow(/GRID_REMINDER_SWEEP_MS/);
  });
});
