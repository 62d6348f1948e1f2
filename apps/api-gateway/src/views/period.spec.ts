import { endOfToday, percent, reportingPeriod } from './period';

describe('reporting periods in China Standard Time', () => {
  it('starts the default period on the first of the month at midnight UTC+8', () => {
    const period = reportingPeriod(undefined, undefined, new Date('2026-11-25T03:00:00Z'));
    expect(period.from).toBe('2026-10-31T16:00:00.000Z');
  });

  it('takes the local month when UTC is still in the previous one', () => {
    expect(reportingPeriod(undefined, undefined, new Date('2026-11-30T17:00:00Z')).from).toBe('2026-11-30T16:00:00.000Z');
  });

  it('keeps a period that was asked for', () => {
    expect(reportingPeriod('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z')).toEqual({
      from: '2026-01-01T00:00:00Z',
      to: '2026-02-01T00:00:00Z',
    });
  });

  it('ends today at the next local midnight', () => {
    expect(new Date(endOfToday(new Date('2026-11-25T20:00:00Z'))).toISOString()).toBe('2026-11-26T16:00:00.000Z');
  });
});

describe('percent', () => {
  it('rounds down to two decimals and is zero for an empty whole', () => {
    expect(percent(2, 3)).toBe('66.66');
    expect(percent(1, 8)).toBe('12.50');
    expect(percent(0, 0)).toBe('0.00');
    expect(percent(5, 5)).toBe('100.00');
  });
});
