/** A claim on turning a topic into a ballot, as stored. */
export interface ClaimState {
  attempt: number;
  claimedAt: Date;
  ballotId?: string;
}

/** A claim that has no ballot this long after it was made was left by a process that failed mid-way. */
export const CLAIM_ABANDONED_AFTER_MS = 2 * 60_000;

export type NextClaim =
  { attempt: number } | { refused: 'already_a_ballot'; ballotId: string } | { refused: 'in_progress' };

/** Which attempt to claim next: the first, or the one after an abandoned claim; none once a ballot exists or one is being made. */
export function nextClaim(claims: readonly ClaimState[], now: Date): NextClaim {
  const done = claims.find((c) => c.ballotId);
  if (done) return { refused: 'already_a_ballot', ballotId: done.ballotId! };
  const latest = claims.reduce<ClaimState | undefined>(
    (max, c) => (!max || c.attempt > max.attempt ? c : max),
    undefined,
  );
  if (!latest) return { attempt: 1 };
  if (now.getTime() - latest.claimedAt.getTime() < CLAIM_ABANDONED_AFTER_MS)
    return { refused: 'in_progress' };
  return { attempt: latest.attempt + 1 };
}
