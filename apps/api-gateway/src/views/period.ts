const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** The reporting period: as asked, else from the first day of this month in UTC+8 up to now. */
export function reportingPeriod(from?: string, to?: string, now = new Date()): { from: string; to: string } {
  const local = new Date(now.getTime() + CHINA_OFFSET_MS);
  const monthStart = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - CHINA_OFFSET_MS;
  return {
    from: from ?? new Date(monthStart).toISOString(),
    to: to ?? new Date(now.getTime() + 1000).toISOString(),
  };
}

/** End of the current day in UTC+8. */
export function endOfToday(now = new Date()): number {
  const local = new Date(now.getTime() + CHINA_OFFSET_MS);
  return Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1) - CHINA_OFFSET_MS;
}

/** Percent with two decimals, rounded down, from integers. */
export function percent(part: number, whole: number): string {
  if (whole === 0) return '0.00';
  const hundredths = Math.floor((part * 10_000) / whole);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}
