import { TrendInterval } from '@cg/contracts';
import { defaultFrom, periodOf, periodStart, periodsBetween, quantile, shiftPeriods, trendSeries } from './case-trends';

const { Month, Week } = TrendInterval;
const at = (iso: string) => new Date(iso);

describe('trend periods in China Standard Time', () => {
  it('puts an instant in the month of its local date', () => {
    expect(periodOf(at('2026-01-31T15:59:59.999Z'), Month)).toBe('2026-01');
    expect(periodOf(at('2026-01-31T16:00:00.000Z'), Month)).toBe('2026-02');
    expect(periodOf(at('2026-12-31T16:00:00.000Z'), Month)).toBe('2027-01');
  });

  it('starts a month at local midnight of the 1st', () => {
    expect(periodStart(at('2026-03-15T12:00:00Z'), Month).toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(periodStart(at('2026-02-28T16:00:00Z'), Month).toISOString()).toBe('2026-02-28T16:00:00.000Z');
  });

  it('numbers ISO weeks from Monday, local time', () => {
    // Monday 2026-03-02 00:00 in Shanghai is Sunday 16:00 UTC.
    expect(periodOf(at('2026-03-01T15:59:59Z'), Week)).toBe('2026-W09');
    expect(periodOf(at('2026-03-01T16:00:00Z'), Week)).toBe('2026-W10');
    expect(periodStart(at('2026-03-04T08:00:00Z'), Week).toISOString()).toBe('2026-03-01T16:00:00.000Z');
  });

  it('gives the days around New Year to the ISO year of their Thursday', () => {
    // 2026-12-31 is a Thursday: week 53 of 2026; 2027-01-03 (Sunday) is still in it.
    expect(periodOf(at('2027-01-03T12:00:00+08:00'), Week)).toBe('2026-W53');
    expect(periodOf(at('2027-01-04T00:00:00+08:00'), Week)).toBe('2027-W01');
    // 2024-12-30 (Monday) begins 2025's first week.
    expect(periodOf(at('2024-12-30T00:00:00+08:00'), Week)).toBe('2025-W01');
    expect(periodOf(at('2024-12-29T23:59:59+08:00'), Week)).toBe('2024-W52');
  });

  it('shifts by calendar months and whole weeks', () => {
    const march = periodStart(at('2026-03-10T00:00:00+08:00'), Month);
    expect(periodOf(shiftPeriods(march, Month, -3), Month)).toBe('2025-12');
    expect(periodOf(shiftPeriods(march, Month, 10), Month)).toBe('2027-01');
    const week = periodStart(at('2026-03-10T00:00:00+08:00'), Week);
    expect(periodOf(shiftPeriods(week, Week, -11), Week)).toBe('2025-W52');
  });

  it('lists every period overlapping the range, oldest first', () => {
    expect(periodsBetween(at('2025-11-20T00:00:00+08:00'), at('2026-02-01T00:00:00+08:00'), Month)).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
    ]);
    expect(periodsBetween(at('2026-03-04T00:00:00+08:00'), at('2026-03-16T00:00:00+08:00'), Week)).toEqual([
      '2026-W10',
      '2026-W11',
    ]);
  });

  it('defaults to twelve periods back, the current one included', () => {
    const to = at('2026-12-02T10:00:00+08:00');
    const months = periodsBetween(defaultFrom(to, Month), to, Month);
    expect(months).toHaveLength(12);
    expect(months[0]).toBe('2026-01');
    expect(months[11]).toBe('2026-12');
    expect(periodsBetween(defaultFrom(to, Week), to, Week)).toHaveLength(12);
  });
});

describe('trend figures', () => {
  it('interpolates quantiles between ranks', () => {
    expect(quantile([], 0.5)).toBeUndefined();
    expect(quantile([5], 0.9)).toBe(5);
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1);
  });

  it('fills every period of every key and turns durations into hours', () => {
    const hour = 3_600_000;
    const series = trendSeries(
      ['2026-01', '2026-02'],
      [
        { period: '2026-01', key: 'noise', filed: 3, signForMs: [hour, 3 * hour, null] },
        { period: '2026-02', key: 'sanitation', filed: 1, signForMs: [] },
      ],
      [{ period: '2026-02', key: 'noise', closed: 2, closeMs: [10 * hour, 20 * hour], rated: 2, satisfied: 1 }],
    );
    expect(series.map((s) => s.key)).toEqual(['noise', 'sanitation']);
    expect(series[0].points).toEqual([
      { period: '2026-01', filed: 3, closed: 0, signForMedianHours: 2, signForP90Hours: 2.8, rated: 0 },
      { period: '2026-02', filed: 0, closed: 2, closeMedianHours: 15, closeP90Hours: 19, rated: 2, satisfiedShare: 0.5 },
    ]);
    expect(series[1].points[0]).toEqual({ period: '2026-01', filed: 0, closed: 0, rated: 0 });
  });
});
