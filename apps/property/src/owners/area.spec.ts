import { formatHundredths, toHundredths } from './area';

describe('exclusive areas in hundredths of a square metre', () => {
  it.each([
    ['89.50', 8950n],
    ['89.5', 8950n],
    ['89', 8900n],
    ['0.01', 1n],
    ['0', 0n],
    ['123456789.99', 12345678999n],
  ])('reads %s as %s hundredths', (text, hundredths) => {
    expect(toHundredths(text)).toBe(hundredths);
  });

  it.each(['89.505', '-1.00', '1e3', '', ' 89.50', '89.', '.5', 'NaN'])('refuses %p', (text) => {
    expect(() => toHundredths(text)).toThrow(RangeError);
  });

  it.each([
    [8950n, '89.50'],
    [1n, '0.01'],
    [0n, '0.00'],
    [100n, '1.00'],
    [-5n, '-0.05'],
  ])('formats %s hundredths as %s', (hundredths, text) => {
    expect(formatHundredths(hundredths)).toBe(text);
  });
});
