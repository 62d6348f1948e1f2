import { maskIdNumber, maskPhone } from './masking';

describe('masking personal numbers', () => {
  it('keeps the first three and last four digits of a mobile number', () => {
    expect(maskPhone('13800001234')).toBe('138****1234');
  });

  it('hides most of a short number too', () => {
    expect(maskPhone('12345')).toBe('1****45');
  });

  it('hides the birth date in an ID number', () => {
    const masked = maskIdNumber('310104198001011234');
    expect(masked).toBe('3101**********1234');
    expect(masked).not.toContain('19800101');
  });
});
