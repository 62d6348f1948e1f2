import { maskIdNumber, maskPhone, maskedNumbers } from './masking';

describe('masking personal numbers', () => {
  it('keeps the first three and last four digits of a mobile number', () => {
    expect(maskPhone('13800001234')).toBe('138****1234');
  });

  it('hides most of a short number too', () => {
    expect(maskPhone('12345')).toBe('1****45');
  });

  it('hides the birth date in an ID number', () => {
    const masked = maskIdNumber('11010519491231002X');
    expect(masked).toBe('1101**********002X');
    expect(masked).not.toContain('19491231');
  });

  it('masks both numbers of every person, whoever reads them', () => {
    expect(maskedNumbers({ phone: '13800001234', idNumber: '11010519491231002X' })).toEqual({
      phone: '138****1234',
      idNumber: '1101**********002X',
    });
  });

  it('leaves the ID number out when none is stored', () => {
    expect(maskedNumbers({ phone: '13800001234' })).toEqual({ phone: '138****1234' });
  });
});
