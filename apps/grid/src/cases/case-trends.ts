import { CaseTrendPoint, CaseTrendSeries, TrendInterval } from '@cg/contracts';

/** Periods are counted in China Standard Time, which has no daylight saving. */
export const TREND_TIME_ZONE = 'Asia/Shanghai';
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The `$dateToString` format naming the period of an instant exactly as `periodOf` does. */
export const PERIOD_FORMAT: Record<TrendInterval, string> = {
  [TrendInterval.Month]: '%Y-%m',
  [TrendInterval.Week]: '%G-W%V',
};

/** The longest series one request may ask for: five years of months, three of weeks. */
export const MAX_PERIODS: Record<TrendInterval, number> = { [TrendInterval.Month]: 60, [TrendInterval.Week]: 157 };

/** How many periods back a series starts when the request names no start, the current one included. */
export const DEFAULT_PERIODS = 12;

const pad = (n: number) => String(n).padStart(2, '0');
const local = (at: Date) => new Date(at.getTime() + OFFSET_MS);
/** Days since Monday of the local date. */
const weekday = (day: Date) => (day.getUTCDay() + 6) % 7;

/** `YYYY-MM`, or the ISO week `GGGG-Www` (the year its Thursday falls in), of an instant in China Standard Time. */
export function periodOf(at: Date, interval: TrendInterval): string {
  const day = local(at);
  if (interval === TrendInterval.Month) return `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}`;
  const thursday = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() - weekday(day) + 3));
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS));
  return `${year}-W${pad(week)}`;
}

/** The first instant of the period holding `at`: local midnight of the 1st, or of the Monday. */
export function periodStart(at: Date, interval: TrendInterval): Date {
  const day = local(at);
  const date = interval === TrendInterval.Month ? 1 : day.getUTCDate() - weekday(day);
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), date) - OFFSET_MS);
}

/** The start of the period `n` periods after the one starting at `start` (before it for negative `n`). */
export function shiftPeriods(start: Date, interval: TrendInterval, n: number): Date {
  if (interval === TrendInterval.Week) return new Date(start.getTime() + n * 7 * DAY_MS);
  const day = local(start);
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + n, 1) - OFFSET_MS);
}

/** Every period that overlaps `[from, to)`, oldest first. */
export function periodsBetween(from: Date, to: Date, interval: TrendInterval, limit = Infinity): string[] {
  const periods: string[] = [];
  for (let start = periodStart(from, interval); start < to && periods.length <= limit; start = shiftPeriods(start, interval, 1)) {
    periods.push(periodOf(start, interval));
  }
  return periods;
}

/** The default start: the beginning of the period `DEFAULT_PERIODS - 1` before the one holding `to`. */
export function defaultFrom(to: Date, interval: TrendInterval): Date {
  return shiftPeriods(periodStart(new Date(to.getTime() - 1), interval), interval, -(DEFAULT_PERIODS - 1));
}

/** The q-quantile (0..1) with linear interpolation between closest ranks; undefined for no values. */
export function quantile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * q;
  const below = Math.floor(rank);
  const above = Math.ceil(rank);
  return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
}

/** Cases filed in one period with one key, and their durations to sign-for (null while not signed for). */
export interface FiledGroup {
  period: string;
  key: string;
  filed: number;
  signForMs: (number | null)[];
}

/** Cases closed in one period with one key: their report-to-close durations and ratings. */
export interface ClosedGroup {
  period: string;
  key: string;
  closed: number;
  closeMs: (number | null)[];
  rated: number;
  satisfied: number;
}

const hours = (ms: number | undefined) => (ms === undefined ? undefined : Math.round((ms / HOUR_MS) * 100) / 100);
const durations = (values: (number | null)[]) => values.filter((v): v is number => typeof v === 'number' && v >= 0);

function point(period: string, filed?: FiledGroup, closed?: ClosedGroup): CaseTrendPoint {
  const signFor = durations(filed?.signForMs ?? []);
  const close = durations(closed?.closeMs ?? []);
  const rated = closed?.rated ?? 0;
  const figures: CaseTrendPoint = {
    period,
    filed: filed?.filed ?? 0,
    closed: closed?.closed ?? 0,
    signForMedianHours: hours(quantile(signFor, 0.5)),
    signForP90Hours: hours(quantile(signFor, 0.9)),
    closeMedianHours: hours(quantile(close, 0.5)),
    closeP90Hours: hours(quantile(close, 0.9)),
    rated,
    satisfiedShare: rated > 0 ? Math.round(((closed?.satisfied ?? 0) / rated) * 10_000) / 10_000 : undefined,
  };
  return Object.fromEntries(Object.entries(figures).filter(([, v]) => v !== undefined)) as CaseTrendPoint;
}

/** One series per key seen, each with a point for every period (zeros where nothing happened), keys sorted. */
export function trendSeries(periods: readonly string[], filed: readonly FiledGroup[], closed: readonly ClosedGroup[]): CaseTrendSeries[] {
  const id = (period: string, key: string) => `${key}\u0000${period}`;
  const filedBy = new Map(filed.map((g) => [id(g.period, g.key), g]));
  const closedBy = new Map(closed.map((g) => [id(g.period, g.key), g]));
  const keys = [...new Set([...filed, ...closed].map((g) => g.key))].sort();
  return keys.map((key) => ({
    key,
    points: periods.map((period) => point(period, filedBy.get(id(period, key)), closedBy.get(id(period, key)))),
  }));
}
