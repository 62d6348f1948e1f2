import { CaseRating } from '@cg/contracts';
import { isSatisfied } from './case-credit';

describe('case credit', () => {
  it('counts satisfied and basically satisfied ratings as satisfied', () => {
    expect(isSatisfied(CaseRating.Satisfied)).toBe(true);
    expect(isSatisfied(CaseRating.BasicallySatisfied)).toBe(true);
  });

  it('does not count a dissatisfied rating', () => {
    expect(isSatisfied(CaseRating.Dissatisfied)).toBe(false);
  });
});
