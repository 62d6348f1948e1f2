import { EligibilityCheck } from '@cg/contracts';
import { checkEligibility } from './eligibility';

const ALL = Object.values(EligibilityCheck);
const clean = { unitsOwned: 1, livesInCommunity: true, feeArrears: false, relativeAtPropertyCompany: false };

describe("eligibility checks for owners' committee candidates", () => {
  it('passes an owner of record living here with no arrears and no relative at the company', () => {
    const { results, eligible } = checkEligibility(ALL, clean);
    expect(eligible).toBe(true);
    expect(results.map((r) => [r.check, r.outcome])).toEqual(ALL.map((c) => [c, 'passed']));
  });

  it.each([
    [{ unitsOwned: 0 }, EligibilityCheck.OwnerOfRecord],
    [{ livesInCommunity: false }, EligibilityCheck.LivesInCommunity],
    [{ feeArrears: true }, EligibilityCheck.NoFeeArrears],
    [{ relativeAtPropertyCompany: true }, EligibilityCheck.NoRelativeAtPropertyCompany],
  ])('fails %p on %s alone', (change, failing) => {
    const { results, eligible } = checkEligibility(ALL, { ...clean, ...change });
    expect(eligible).toBe(false);
    expect(results.filter((r) => r.outcome !== 'passed').map((r) => r.check)).toEqual([failing]);
  });

  it('shows an undeclared flag as unknown, which is not eligible', () => {
    const { results, eligible } = checkEligibility(ALL, { unitsOwned: 2, livesInCommunity: true });
    expect(results.filter((r) => r.outcome === 'unknown').map((r) => r.check)).toEqual([
      EligibilityCheck.NoFeeArrears,
      EligibilityCheck.NoRelativeAtPropertyCompany,
    ]);
    expect(eligible).toBe(false);
  });

  it('runs only the configured checks', () => {
    const { results, eligible } = checkEligibility([EligibilityCheck.LivesInCommunity, EligibilityCheck.OwnerOfRecord], { unitsOwned: 1, livesInCommunity: true, feeArrears: true });
    expect(results.map((r) => r.check)).toEqual([EligibilityCheck.OwnerOfRecord, EligibilityCheck.LivesInCommunity]);
    expect(eligible).toBe(true);
  });

  it('says which facts come from records and which stay as declared', () => {
    const { results } = checkEligibility(ALL, clean);
    expect(results.map((r) => [r.check, r.basis])).toEqual([
      [EligibilityCheck.OwnerOfRecord, 'record'],
      [EligibilityCheck.LivesInCommunity, 'record'],
      [EligibilityCheck.NoFeeArrears, 'declared'],
      [EligibilityCheck.NoRelativeAtPropertyCompany, 'declared'],
    ]);
  });
});
