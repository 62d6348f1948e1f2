import { CaseStatus } from '@cg/contracts';

/** The statuses in which the property company's resolution of the linked service request resolves the case. */
export const RESOLVABLE_BY_PROPERTY: readonly CaseStatus[] = [
  CaseStatus.Reported,
  CaseStatus.Accepted,
  CaseStatus.Assigned,
  CaseStatus.InProgress,
];

/** A case already resolved, closed or waiting for the community's arbitration is left as it is. */
export function resolvedByProperty(status: CaseStatus): boolean {
  return RESOLVABLE_BY_PROPERTY.includes(status);
}
