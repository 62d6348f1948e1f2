const DECIMAL_AREA = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

/** Parses an exclusive area in m² ("89.5", "89.50", "89") into integer hundredths of a m². */
export function toHundredths(area: string): bigint {
  const match = DECIMAL_AREA.exec(area);
  if (!match) throw new RangeError(`"${area}" is not an area in m² with at most two decimals`);
  return BigInt(match[1]) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
}

/** Formats hundredths of a m² as a decimal string with two decimals. */
export function formatHundredths(hundredths: bigint): string {
  const sign = hundredths < 0n ? '-' : '';
  const abs = hundredths < 0n ? -hundredths : hundredths;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}
