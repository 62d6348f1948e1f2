/** How failed logins for one key (an account or a client address) turn into waits. */
export interface LockoutPolicy {
  /** Failures allowed before the first lockout. */
  threshold: number;
  /** The first lockout; each failure after it doubles the wait. */
  baseDelaySeconds: number;
  maxLockoutSeconds: number;
}

/** The failures remembered for one key; forgotten when no failure came for a while. */
export interface LoginFailures {
  failures: number;
  /** Epoch milliseconds until which logins for the key are refused. */
  lockedUntil?: number;
}

/** Seconds of lockout after the `failures`-th failure in a row: none below the threshold, then doubling, capped. */
export function lockoutSeconds(failures: number, policy: LockoutPolicy): number {
  if (failures < policy.threshold) return 0;
  const doublings = Math.min(failures - policy.threshold, 30);
  return Math.min(policy.baseDelaySeconds * 2 ** doublings, policy.maxLockoutSeconds);
}

export function afterFailure(state: LoginFailures | undefined, now: number, policy: LockoutPolicy): LoginFailures {
  const failures = (state?.failures ?? 0) + 1;
  const seconds = lockoutSeconds(failures, policy);
  return seconds > 0 ? { failures, lockedUntil: now + seconds * 1000 } : { failures };
}

/** Whole seconds the key must still wait, or 0 when a login may be tried now. */
export function retryAfterSeconds(state: LoginFailures | undefined, now: number): number {
  if (!state?.lockedUntil || state.lockedUntil <= now) return 0;
  return Math.ceil((state.lockedUntil - now) / 1000);
}
