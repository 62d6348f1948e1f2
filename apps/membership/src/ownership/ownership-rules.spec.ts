import { DomainException, ErrorCode } from '@cg/contracts';
import { formatHundredths } from '../quantities/hundredths';
import { DEVELOPER_KEY, chooseExclusiveArea, countOwners, settleOwners } from './ownership-rules';

const A = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbbbbbb';
const C = 'cccccccccccccccccccccccc';

function codeOf(fn: () => unknown): ErrorCode | undefined {
  try {
    fn();
  } catch (error) {
    return (error as DomainException).code;
  }
  return undefined;
}

describe('exclusive area', () => {
  it('takes the register area over the surveyed and the contract areas', () => {
    expect(chooseExclusiveArea({ registerArea: '89.5', surveyedArea: '90.00', contractArea: '91' })).toEqual({
      hundredths: 8950,
      source: 'register',
    });
  });

  it('falls back to the surveyed area, then the contract area', () => {
    expect(chooseExclusiveArea({ surveyedArea: '90.12', contractArea: '91' }).source).toBe('surveyed');
    expect(chooseExclusiveArea({ contractArea: '91' })).toEqual({ hundredths: 9100, source: 'contract' });
  });

  it('refuses a unit with no area or a zero area', () => {
    expect(codeOf(() => chooseExclusiveArea({}))).toBe(ErrorCode.VALIDATION_FAILED);
    expect(codeOf(() => chooseExclusiveArea({ registerArea: '0.00' }))).toBe(ErrorCode.VALIDATION_FAILED);
  });
});

describe('owners of record', () => {
  it('makes a sole owner the voter', () => {
    expect(settleOwners({ ownerPersonIds: [A] })).toEqual({
      ownerPersonIds: [A],
      voterPersonId: A,
      heldByDeveloper: false,
      headcountKey: `owners:${A}`,
    });
  });

  it('demands one designated voter among co-owners', () => {
    expect(codeOf(() => settleOwners({ ownerPersonIds: [A, B] }))).toBe(ErrorCode.VALIDATION_FAILED);
    expect(codeOf(() => settleOwners({ ownerPersonIds: [A, B], voterPersonId: C }))).toBe(
      ErrorCode.VALIDATION_FAILED,
    );
    expect(settleOwners({ ownerPersonIds: [B, A], voterPersonId: B }).voterPersonId).toBe(B);
  });

  it('gives co-owners the same key whatever order they are listed in', () => {
    expect(settleOwners({ ownerPersonIds: [B, A], voterPersonId: A }).headcountKey).toBe(
      settleOwners({ ownerPersonIds: [A, B], voterPersonId: B }).headcountKey,
    );
  });

  it("keys the developer's unsold units together and refuses owners on them", () => {
    expect(settleOwners({ ownerPersonIds: [], heldByDeveloper: true })).toMatchObject({
      headcountKey: DEVELOPER_KEY,
      voterPersonId: DEVELOPER_KEY,
    });
    expect(codeOf(() => settleOwners({ ownerPersonIds: [A], heldByDeveloper: true }))).toBe(
      ErrorCode.VALIDATION_FAILED,
    );
    expect(codeOf(() => settleOwners({ ownerPersonIds: [] }))).toBe(ErrorCode.VALIDATION_FAILED);
  });
});

describe('counting owners', () => {
  it('counts a buyer of three units once, the developer once, and co-owners once, with each area once', () => {
    const buyer = settleOwners({ ownerPersonIds: [A] }).headcountKey;
    const developer = settleOwners({ ownerPersonIds: [], heldByDeveloper: true }).headcountKey;
    const couple = settleOwners({ ownerPersonIds: [B, C], voterPersonId: B }).headcountKey;
    const counts = countOwners([
      { headcountKey: buyer, areaHundredths: 8950 },
      { headcountKey: buyer, areaHundredths: 8950 },
      { headcountKey: buyer, areaHundredths: 12001 },
      { headcountKey: developer, areaHundredths: 7010 },
      { headcountKey: developer, areaHundredths: 7020 },
      { headcountKey: couple, areaHundredths: 10033 },
    ]);
    expect(counts.units).toBe(6);
    expect(counts.owners).toBe(3);
    expect(formatHundredths(counts.areaHundredths)).toBe('539.64');
  });
});
