import { formatHundredths, multiplyHundredths, parseHundredths } from './hundredths';

describe('decimal quantities in hundredths', () => {
  it('parses whole numbers, one and two decimals', () => {
    expect(parseHundredths('89')).toBe(8900);
    expect(parseHundredths('89.5')).toBe(8950);
    expect(parseHundredths('89.05')).toBe(8905);
    expect(parseHundredths('-1.25')).toBe(-125);
  });

  it('refuses more than two decimals and anything not a number', () => {
    expect(() => parseHundredths('1.005')).toThrow(RangeError);
    expect(() => parseHundredths('abc')).toThrow(RangeError);
    expect(() => parseHundredths('1e3')).toThrow(RangeError);
  });

  it('formats with exactly two decimals and a sign', () => {
    expect(formatHundredths(8950)).toBe('89.50');
    expect(formatHundredths(5)).toBe('0.05');
    expect(formatHundredths(-125)).toBe('-1.25');
    expect(formatHundredths(0)).toBe('0.00');
  });

  it('adds exactly where floats would drift', () => {
    const sum = ['0.10', '0.20'].map(parseHundredths).reduce((a, b) => a + b, 0);
    expect(formatHundredths(sum)).toBe('0.30');
    expect(0.1 + 0.2).not.toBe(0.3);
  });

  it('multiplies hours by a rate, rounding half up', () => {
    expect(formatHundredths(multiplyHundredths(parseHundredths('2.50'), parseHundredths('10.00')))).toBe(
      '25.00',
    );
    expect(formatHundredths(multiplyHundredths(parseHundredths('0.33'), parseHundredths('1.50')))).toBe(
      '0.50',
    );
    expect(formatHundredths(multiplyHundredths(parseHundredths('-1.00'), parseHundredths('1.50')))).toBe(
      '-1.50',
    );
  });
});
