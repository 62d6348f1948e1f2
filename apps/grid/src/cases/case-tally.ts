import { CaseStatus } from '@cg/contracts';

/** Numbers kept on each case so the statistics are plain sums of them per group. */
export interface CaseTally {
  resolved: 0 | 1;
  onTime: 0 | 1;
  resolveMinutes: number;
  rated: 0 | 1;
  satisfied: 0 | 1;
  reopened: 0 | 1;
}

export const EMPTY_TALLY: CaseTally = {
  resolved: 0,
  onTime: 0,
  resolveMinutes: 0,
  rated: 0,
  satisfied: 0,
  reopened: 0,
};

/** The tally of a case resolved at `now`: resolved, on time when by its deadline, and minutes since it was reported. */
export function resolvedTally(tally: CaseTally, reportedAt: Date, dueAt: Date, now: Date): CaseTally {
  return {
    ...tally,
    resolved: 1,
    onTime: now.getTime() <= dueAt.getTime() ? 1 : 0,
    resolveMinutes: Math.floor((now.getTime() - reportedAt.getTime()) / 60_000),
  };
}

/** One row of the database grouping by category and status. */
export interface TallyGroup {
  category: string;
  status: CaseStatus;
  count: number;
  resolved: number;
  onTime: number;
  resolveMinutes: number;
  rated: number;
  satisfied: number;
  reopened: number;
}

export interface CaseSummary {
  total: number;
  byCategory: { category: string; count: number }[];
  byStatus: { status: CaseStatus; count: number }[];
  resolvedCount: number;
  onTimeRate: string | null;
  averageResolveHours: string | null;
  satisfactionRate: string | null;
  reopenedRate: string | null;
}

/** `numerator / denominator * scale` rounded half up to hundredths, as a decimal string; integers only. */
export function ratio(numerator: number, denominator: number, scale: number): string | null {
  if (denominator === 0) return null;
  const hundredths =
    (BigInt(numerator) * BigInt(scale) * 200n + BigInt(denominator)) / (2n * BigInt(denominator));
  return `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`;
}

function counted<K extends string>(
  groups: TallyGroup[],
  key: (g: TallyGroup) => K,
): { key: K; count: number }[] {
  const totals = new Map<K, number>();
  for (const g of groups) totals.set(key(g), (totals.get(key(g)) ?? 0) + g.count);
  return [...totals]
    .map(([k, count]) => ({ key: k, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** `resolveMinutes`, when given, replaces the groups' own sum of it. */
export function summarise(groups: TallyGroup[], resolveMinutes?: number): CaseSummary {
  const sum = (field: keyof Omit<TallyGroup, 'category' | 'status'>) =>
    field === 'resolveMinutes' && resolveMinutes !== undefined
      ? resolveMinutes
      : groups.reduce((n, g) => n + g[field], 0);
  const total = sum('count');
  const resolved = sum('resolved');
  return {
    total,
    byCategory: counted(groups, (g) => g.category).map(({ key, count }) => ({ category: key, count })),
    byStatus: counted(groups, (g) => g.status).map(({ key, count }) => ({ status: key, count })),
    resolvedCount: resolved,
    onTimeRate: ratio(sum('onTime'), resolved, 100),
    averageResolveHours: ratio(sum('resolveMinutes'), resolved * 60, 1),
    satisfactionRate: ratio(sum('satisfied'), sum('rated'), 100),
    reopenedRate: ratio(sum('reopened'), total, 100),
  };
}
