import { CaseCategory, CaseStatus } from '@cg/contracts';
import { EMPTY_TALLY, TallyGroup, ratio, resolvedTally, summarise } from './case-tally';

const group = (
  category: CaseCategory,
  status: CaseStatus,
  count: number,
  extra: Partial<TallyGroup> = {},
): TallyGroup => ({
  category,
  status,
  count,
  resolved: 0,
  onTime: 0,
  resolveMinutes: 0,
  rated: 0,
  satisfied: 0,
  reopened: 0,
  ...extra,
});

describe('case statistics from grouped sums', () => {
  it('rounds rates half up to hundredths without floating point', () => {
    expect(ratio(1, 3, 100)).toBe('33.33');
    expect(ratio(2, 3, 100)).toBe('66.67');
    expect(ratio(1, 8, 100)).toBe('12.50');
    expect(ratio(0, 5, 100)).toBe('0.00');
    expect(ratio(5, 5, 100)).toBe('100.00');
    expect(ratio(1, 0, 100)).toBeNull();
  });

  it('adds up categories and statuses across groups and derives the rates', () => {
    const summary = summarise([
      group(CaseCategory.Noise, CaseStatus.Closed, 3, {
        resolved: 3,
        onTime: 2,
        resolveMinutes: 3 * 90,
        rated: 3,
        satisfied: 2,
        reopened: 1,
      }),
      group(CaseCategory.Noise, CaseStatus.Reported, 2),
      group(CaseCategory.Sanitation, CaseStatus.Resolved, 1, { resolved: 1, onTime: 1, resolveMinutes: 30 }),
    ]);
    expect(summary).toEqual({
      total: 6,
      byCategory: [
        { category: CaseCategory.Noise, count: 5 },
        { category: CaseCategory.Sanitation, count: 1 },
      ],
      byStatus: [
        { status: CaseStatus.Closed, count: 3 },
        { status: CaseStatus.Reported, count: 2 },
        { status: CaseStatus.Resolved, count: 1 },
      ],
      resolvedCount: 4,
      onTimeRate: '75.00',
      averageResolveHours: '1.25',
      satisfactionRate: '66.67',
      reopenedRate: '16.67',
    });
  });

  it('answers an empty period with zero counts and no rates', () => {
    expect(summarise([])).toEqual({
      total: 0,
      byCategory: [],
      byStatus: [],
      resolvedCount: 0,
      onTimeRate: null,
      averageResolveHours: null,
      satisfactionRate: null,
      reopenedRate: null,
    });
  });
});

describe('the tally of a resolution', () => {
  it('counts a resolution at the deadline as on time and one a millisecond later as late', () => {
    const reportedAt = new Date('2026-06-01T01:00:00Z');
    const dueAt = new Date('2026-06-03T09:00:00Z');
    expect(resolvedTally(EMPTY_TALLY, reportedAt, dueAt, dueAt)).toMatchObject({ resolved: 1, onTime: 1, resolveMinutes: 3360 });
    expect(resolvedTally(EMPTY_TALLY, reportedAt, dueAt, new Date(dueAt.getTime() + 1))).toMatchObject({ resolved: 1, onTime: 0 });
  });
});
