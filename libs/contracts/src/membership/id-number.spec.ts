import { idNumberCheckCharacter, idNumberProblem, isValidIdNumber } from './id-number';

describe('citizen ID numbers (GB 11643-1999)', () => {
  const today = new Date('2026-06-30T00:00:00Z');

  it('accepts numbers whose check digit matches, X included', () => {
    expect(isValidIdNumber('11010519491231002X', today)).toBe(true);
    expect(isValidIdNumber('310104198001011239', today)).toBe(true);
    expect(isValidIdNumber('310104198001015678', today)).toBe(true);
  });

  it('computes the check character from the weighted sum modulo 11', () => {
    expect(idNumberCheckCharacter('11010519491231002')).toBe('X');
    expect(idNumberCheckCharacter('31010419800101123')).toBe('9');
  });

  it('refuses a number whose last character is off by one', () => {
    expect(idNumberProblem('310104198001011238', today)).toBe('has a wrong check digit');
    expect(idNumberProblem('310104198001011230', today)).toBe('has a wrong check digit');
    expect(idNumberProblem('110105194912310029', today)).toBe('has a wrong check digit');
  });

  it('refuses a lower-case x, which writers upper-case before checking', () => {
    expect(idNumberProblem('11010519491231002x', today)).toBe(
      'must be 18 characters: 17 digits and a digit or X',
    );
  });

  it('refuses 17 or 19 characters and letters among the first 17', () => {
    for (const id of ['31010419800101123', '3101041980010112390', '3101041980010112X9', '']) {
      expect(idNumberProblem(id, today)).toBe('must be 18 characters: 17 digits and a digit or X');
    }
  });

  it('refuses a birth date that is no real day', () => {
    const withBirth = (date: string) => `310104${date}123` + idNumberCheckCharacter(`310104${date}123`);
    expect(idNumberProblem(withBirth('19800230'), today)).toBe('must hold a valid date of birth');
    expect(idNumberProblem(withBirth('19801301'), today)).toBe('must hold a valid date of birth');
    expect(idNumberProblem(withBirth('19800100'), today)).toBe('must hold a valid date of birth');
    expect(idNumberProblem(withBirth('19010229'), today)).toBe('must hold a valid date of birth');
    expect(isValidIdNumber(withBirth('20000229'), today)).toBe(true);
  });

  it('accepts births from 1900-01-01 up to today and refuses earlier or later ones', () => {
    const withBirth = (date: string) => `310104${date}123` + idNumberCheckCharacter(`310104${date}123`);
    expect(isValidIdNumber(withBirth('19000101'), today)).toBe(true);
    expect(idNumberProblem(withBirth('18991231'), today)).toBe('must hold a valid date of birth');
    expect(isValidIdNumber(withBirth('20260630'), today)).toBe(true);
    expect(idNumberProblem(withBirth('20260701'), today)).toBe('must hold a valid date of birth');
  });
});
