import { formatHours, parseHours, shiftLength } from './hours';

describe('volunteer hours', () => {
  it('parses decimal strings into hundredths without floats', () => {
    expect(parseHours('2')).toBe(200);
    expect(parseHours('2.5')).toBe(250);
    expect(parseHours('0.05')).toBe(5);
    expect(parseHours('999.99')).toBe(99999);
  });

  it('formats hundredths with two decimals', () => {
    expect(formatHours(250)).toBe('2.50');
    expect(formatHours(5)).toBe('0.05');
    expect(formatHours(0)).toBe('0.00');
  });

  it('measures a shift to the hundredth of an hour', () => {
    const start = new Date('2025-06-01T07:15:00Z');
    expect(shiftLength(start, new Date('2025-06-01T08:45:00Z'))).toBe(150);
    expect(shiftLength(start, new Date('2025-06-01T07:35:00Z'))).toBe(33); // 20 minutes
    expect(shiftLength(start, new Date('2025-06-01T07:25:00Z'))).toBe(17); // 10 minutes, 16.67 rounds up
  });
});
