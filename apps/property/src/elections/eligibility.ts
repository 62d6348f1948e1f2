import { EligibilityCheck, EligibilityResultView } from '@cg/contracts';

/** What is known about a candidate when the checks run. Undefined flags have not been declared. */
export interface CandidateFacts {
  unitsOwned: number;
  livesInCommunity: boolean;
  feeArrears?: boolean;
  relativeAtPropertyCompany?: boolean;
}

/** A declared yes/no fact that disqualifies when true. */
function disqualifying(value: boolean | undefined): EligibilityResultView['outcome'] {
  if (value === undefined) return 'unknown';
  return value ? 'failed' : 'passed';
}

/**
 * Runs the configured checks in a fixed order, for the reviewer to see; eligible only if every one passed. Ownership
 * and residence come from records (the owner register, the residence read model); no fee ledger or staff register of
 * the property company is kept, so arrears and relatives there stay as declared at nomination.
 */
export function checkEligibility(checks: EligibilityCheck[], facts: CandidateFacts): { results: EligibilityResultView[]; eligible: boolean } {
  const order = Object.values(EligibilityCheck).filter((c) => checks.includes(c));
  const results = order.map((check): EligibilityResultView => {
    switch (check) {
      case EligibilityCheck.OwnerOfRecord:
        return facts.unitsOwned > 0
          ? { check, outcome: 'passed', detail: `Owner of ${facts.unitsOwned} unit(s) on the owner register`, basis: 'record' }
          : { check, outcome: 'failed', detail: 'Not on the owner register of this community', basis: 'record' };
      case EligibilityCheck.LivesInCommunity:
        return facts.livesInCommunity
          ? { check, outcome: 'passed', detail: 'Registered as living in the community', basis: 'record' }
          : { check, outcome: 'failed', detail: 'Not registered as living in the community', basis: 'record' };
      case EligibilityCheck.NoFeeArrears: {
        const outcome = disqualifying(facts.feeArrears);
        const detail = { passed: 'No arrears of property fees', failed: 'Owes property fees', unknown: 'Fee arrears not declared' }[outcome];
        return { check, outcome, detail, basis: 'declared' };
      }
      case EligibilityCheck.NoRelativeAtPropertyCompany: {
        const outcome = disqualifying(facts.relativeAtPropertyCompany);
        const detail = {
          passed: 'No close relative works for the property company',
          failed: 'A close relative works for the property company',
          unknown: 'Relatives at the property company not declared',
        }[outcome];
        return { check, outcome, detail, basis: 'declared' };
      }
    }
  });
  return { results, eligible: results.every((r) => r.outcome === 'passed') };
}
