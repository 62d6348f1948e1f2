import { DomainException, ErrorCode } from '@cg/contracts';
import { assertCorrectionAllowed, pointsFor, rankVolunteers } from './ledger-rules';

describe('volunteer ledger rules', () => {
  it('derives points from hours at the configured rate', () => {
    expect(pointsFor(250, 1000)).toBe(2500);
    expect(pointsFor(250, 150)).toBe(375);
  });

  it('ranks by hours, sharing a rank on ties, and leaves out volunteers at zero', () => {
    const ranked = rankVolunteers(
      [
        { personId: 'c', hoursHundredths: 300 },
        { personId: 'a', hoursHundredths: 500 },
        { personId: 'b', hoursHundredths: 300 },
        { personId: 'd', hoursHundredths: 0 },
        { personId: 'e', hoursHundredths: 100 },
      ],
      1000,
      10,
    );
    expect(ranked.map((r) => [r.rank, r.personId, r.pointsHundredths])).toEqual([
      [1, 'a', 5000],
      [2, 'b', 3000],
      [2, 'c', 3000],
      [4, 'e', 1000],
    ]);
  });

  it('keeps only the top of the board', () => {
    const totals = Array.from({ length: 30 }, (_, i) => ({
      personId: `p${String(i).padStart(2, '0')}`,
      hoursHundredths: 100 + i,
    }));
    const top = rankVolunteers(totals, 100, 3);
    expect(top.map((r) => r.personId)).toEqual(['p29', 'p28', 'p27']);
  });

  it('refuses a correction that takes an entry below zero', () => {
    expect(() => assertCorrectionAllowed(200, -200)).not.toThrow();
    let code: ErrorCode | undefined;
    try {
      assertCorrectionAllowed(200, -201);
    } catch (error) {
      code = (error as DomainException).code;
    }
    expect(code).toBe(ErrorCode.VALIDATION_FAILED);
  });
});
