import { Applicant, AudienceRule, ageOn, audienceRefusal, noShowRate, registrationWindow } from './registration-rules';

const start = new Date('2025-06-01T01:00:00Z'); // 09:00 local on 1 June
const applicant = (over: Partial<Applicant> = {}): Applicant => ({
  buildingId: 'b1',
  gridId: 'g1',
  isOwner: false,
  isPartyMember: false,
  participants: [{ name: 'Li Ming', birthDate: '1985-09-10' }],
  ...over,
});

describe('the registration window', () => {
  const opens = new Date('2025-05-20T00:00:00Z');
  const closes = new Date('2025-05-31T00:00:00Z');

  it('is not open before it opens, open from the opening instant, and closed from the closing instant', () => {
    expect(registrationWindow(new Date('2025-05-19T23:59:59Z'), opens, closes)).toBe('not_open');
    expect(registrationWindow(opens, opens, closes)).toBe('open');
    expect(registrationWindow(new Date('2025-05-30T23:59:59Z'), opens, closes)).toBe('open');
    expect(registrationWindow(closes, opens, closes)).toBe('closed');
  });
});

describe('the audience', () => {
  it('lets anyone of the community in when the scope is the whole community', () => {
    expect(audienceRefusal({ scope: 'community' }, applicant({ buildingId: undefined, gridId: undefined }), start)).toBeUndefined();
  });

  it('admits residents of the listed buildings only', () => {
    const rule: AudienceRule = { scope: 'buildings', buildingIds: ['b1', 'b2'] };
    expect(audienceRefusal(rule, applicant(), start)).toBeUndefined();
    expect(audienceRefusal(rule, applicant({ buildingId: 'b9' }), start)).toMatch(/other buildings/);
    expect(audienceRefusal(rule, applicant({ buildingId: undefined }), start)).toMatch(/not known/);
  });

  it('admits residents of the listed grids only', () => {
    const rule: AudienceRule = { scope: 'grids', gridIds: ['g2'] };
    expect(audienceRefusal(rule, applicant(), start)).toMatch(/other grids/);
    expect(audienceRefusal(rule, applicant({ gridId: 'g2' }), start)).toBeUndefined();
  });

  it('keeps owner-only and party-member-only activities to those people', () => {
    expect(audienceRefusal({ scope: 'community', ownersOnly: true }, applicant(), start)).toMatch(/owners only/);
    expect(audienceRefusal({ scope: 'community', ownersOnly: true }, applicant({ isOwner: true }), start)).toBeUndefined();
    expect(audienceRefusal({ scope: 'community', partyMembersOnly: true }, applicant(), start)).toMatch(/party members/);
    expect(audienceRefusal({ scope: 'community', partyMembersOnly: true }, applicant({ isPartyMember: true }), start)).toBeUndefined();
  });

  it('checks the age range for every participant on the start day', () => {
    const rule: AudienceRule = { scope: 'community', minAge: 6, maxAge: 12 };
    const family = (child: string) => applicant({ participants: [{ name: 'Xiaoming', birthDate: child }] });
    expect(audienceRefusal(rule, family('2019-06-01'), start)).toBeUndefined(); // sixth birthday on the day
    expect(audienceRefusal(rule, family('2019-06-02'), start)).toMatch(/younger than 6/);
    expect(audienceRefusal(rule, family('2012-06-02'), start)).toBeUndefined(); // still 12
    expect(audienceRefusal(rule, family('2012-06-01'), start)).toMatch(/older than 12/);
    expect(audienceRefusal(rule, applicant({ participants: [{ name: 'Xiaoming' }] }), start)).toMatch(/birth date/);
  });
});

describe('age', () => {
  it('uses the local calendar day, not the UTC one', () => {
    // 2025-05-31T16:30Z is already 1 June in the community.
    expect(ageOn('2015-06-01', new Date('2025-05-31T16:30:00Z'))).toBe(10);
    expect(ageOn('2015-06-01', new Date('2025-05-31T15:30:00Z'))).toBe(9);
  });
});

describe('the no-show rate', () => {
  it('is absent people over confirmed people with two decimals', () => {
    expect(noShowRate(4, 3)).toBe('0.25');
    expect(noShowRate(3, 1)).toBe('0.67');
    expect(noShowRate(3, 3)).toBe('0.00');
    expect(noShowRate(2, 0)).toBe('1.00');
    expect(noShowRate(0, 0)).toBe('0.00');
  });
});
