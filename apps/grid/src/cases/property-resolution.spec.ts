import { CaseStatus } from '@cg/contracts';
import { resolvedByProperty } from './property-resolution';

describe('resolution by the property company', () => {
  it('resolves a case that is still being handled', () => {
    for (const status of [CaseStatus.Reported, CaseStatus.Accepted, CaseStatus.Assigned, CaseStatus.InProgress]) {
      expect(resolvedByProperty(status)).toBe(true);
    }
  });

  it('leaves a resolved, closed or returned case as it is, so a redelivered resolution changes nothing', () => {
    for (const status of [CaseStatus.Resolved, CaseStatus.Closed, CaseStatus.Returned]) {
      expect(resolvedByProperty(status)).toBe(false);
    }
  });
});
