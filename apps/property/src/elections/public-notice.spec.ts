import { LEGAL_MINIMUM_NOTICE_DAYS, noticeDaysOf, noticeShortfall } from './public-notice';

describe('the public notice period of the candidates', () => {
  const published = new Date('2025-06-01T10:00:00Z');

  it('requires seven days when nothing is configured', () => {
    expect(noticeDaysOf(undefined)).toBe(LEGAL_MINIMUM_NOTICE_DAYS);
    expect(noticeDaysOf('')).toBe(7);
  });

  it('takes a longer period from configuration, and refuses one below the legal minimum or not in whole days', () => {
    expect(noticeDaysOf('10')).toBe(10);
    expect(() => noticeDaysOf('6')).toThrow(/ELECTION_NOTICE_DAYS/);
    expect(() => noticeDaysOf('7.5')).toThrow(/whole number/);
    expect(() => noticeDaysOf('soon')).toThrow(/ELECTION_NOTICE_DAYS/);
  });

  it('accepts a notice of exactly seven days and refuses one a millisecond shorter', () => {
    expect(noticeShortfall(published, new Date('2025-06-08T10:00:00Z'), 7).tooShort).toBe(false);
    expect(noticeShortfall(published, new Date('2025-06-08T09:59:59.999Z'), 7)).toEqual({
      earliestEnd: new Date('2025-06-08T10:00:00Z'),
      tooShort: true,
    });
  });

  it('refuses a notice of twenty seconds', () => {
    expect(noticeShortfall(published, new Date(published.getTime() + 20_000), 7).tooShort).toBe(true);
  });

  it('measures against the configured period when it is longer', () => {
    expect(noticeShortfall(published, new Date('2025-06-08T10:00:00Z'), 10).tooShort).toBe(true);
    expect(noticeShortfall(published, new Date('2025-06-11T10:00:00Z'), 10).tooShort).toBe(false);
  });
});
