/** "2.5" -> 250. Hours travel as decimal strings and are computed in integer hundredths. */
export function parseHours(hours: string): number {
  const [whole, fraction = ''] = hours.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** 250 -> "2.50". */
export function formatHours(hundredths: number): string {
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

/** The length of a shift in hundredths of an hour, to the nearest minute, rounded half up. */
export function shiftLength(startsAt: Date, endsAt: Date): number {
  const minutes = Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000);
  return Math.floor((minutes * 200 + 60) / 120);
}
