import { Principal, Role } from '@cg/contracts';
import { maskIdNumber, maskPhone, personalNumbersFor, seesPersonalNumbers } from './masking';

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

describe('who sees personal numbers in full', () => {
  const person = { phone: '13800001234', idNumber: '310104198001011234' };
  const reader = (...roles: Role[]): Principal => ({ sub: 'reader', name: 'Reader', roles, communityIds: ['c1'] });

  it('shows community staff the phone and ID number unmasked', () => {
    expect(personalNumbersFor(reader(Role.CommunityStaff), person)).toEqual(person);
  });

  it('shows a district administrator the phone and ID number unmasked', () => {
    expect(personalNumbersFor(reader(Role.DistrictAdmin), person)).toEqual(person);
  });

  it('masks both numbers for a grid worker', () => {
    expect(personalNumbersFor(reader(Role.GridWorker), person)).toEqual({
      phone: '138****1234',
      idNumber: '3101**********1234',
    });
  });

  it('masks both numbers for the resident themselves and for other residents and owners', () => {
    for (const roles of [[Role.Resident], [Role.Resident, Role.Owner], [Role.BuildingLeader, Role.Volunteer]]) {
      expect(personalNumbersFor(reader(...roles), person)).toEqual({ phone: '138****1234', idNumber: '3101**********1234' });
    }
  });

  it('masks both numbers for a service reading on its own behalf', () => {
    expect(seesPersonalNumbers(reader(Role.System))).toBe(false);
  });

  it('unmasks for a grid worker who is also community staff', () => {
    expect(seesPersonalNumbers(reader(Role.GridWorker, Role.CommunityStaff))).toBe(true);
  });

  it('leaves the ID number out when none is stored', () => {
    expect(personalNumbersFor(reader(Role.GridWorker), { phone: '13800001234' })).toEqual({ phone: '138****1234' });
  });
});
