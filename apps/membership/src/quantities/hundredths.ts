/**
 * Areas, hours and points are decimal strings on the wire and integer hundredths inside, so sums are exact.
 * Totals stay far below 2^53 hundredths (a whole district's floor area is about 10^10).
 */
const DECIMAL = /^(-)?([0-9]{1,12})(?:\.([0-9]{1,2}))?$/;

export function parseHundredths(value: string): number {
  const match = DECIMAL.exec(value.trim());
  if (!match) throw new RangeError(`"${value}" is not a decimal with at most two decimals`);
  const [, sign, whole, fraction = ''] = match;
  const magnitude = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return sign && magnitude !== 0 ? -magnitude : magnitude;
}

export function formatHundredths(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a whole number of hundredths`);
  const magnitude = Math.abs(value);
  const fraction = String(magnitude % 100).padStart(2, '0');
  return `${value < 0 ? '-' : ''}${Math.floor(magnitude / 100)}.${fraction}`;
}

/** a × b for two hundredths values, rounded half up to hundredths, computed in BigInt. */
export function multiplyHundredths(a: number, b: number): number {
  const product = BigInt(a) * BigInt(b);
  const negative = product < 0n;
  const magnitude = negative ? -product : product;
  const rounded = (magnitude + 50n) / 100n;
  return Number(negative ? -rounded : rounded);
}
