import { CaseRating } from '@cg/contracts';

/** A rating that counts the case as well handled: it credits the handler's service hours when the case closes. */
export function isSatisfied(rating: CaseRating): boolean {
  return rating === CaseRating.Satisfied || rating === CaseRating.BasicallySatisfied;
}
