import { afterFailure, lockoutSeconds, retryAfterSeconds } from './lockout-rules';

const policy = { threshold: 5, baseDelaySeconds: 2, maxLockoutSeconds: 900 };

describe('the login lockout schedule', () => {
  it('lets the first failures through without a wait', () => {
    expect([1, 2, 3, 4].map((n) => lockoutSeconds(n, policy))).toEqual([0, 0, 0, 0]);
  });

  it('locks at the threshold and doubles the wait with each further failure', () => {
    expect([5, 6, 7, 8, 9].map((n) => lockoutSeconds(n, policy))).toEqual([2, 4, 8, 16, 32]);
  });

  it('never locks longer than the maximum, however many failures', () => {
    expect(lockoutSeconds(14, policy)).toBe(900);
    expect(lockoutSeconds(10_000, policy)).toBe(900);
  });

  it('counts a failure onto the remembered ones and sets the lockout from now', () => {
    const now = 1_000_000;
    expect(afterFailure(undefined, now, policy)).toEqual({ failures: 1 });
    expect(afterFailure({ failures: 4 }, now, policy)).toEqual({ failures: 5, lockedUntil: now + 2000 });
    expect(afterFailure({ failures: 5, lockedUntil: now - 1 }, now, policy)).toEqual({ failures: 6, lockedUntil: now + 4000 });
  });

  it('answers the seconds left to wait, rounded up, and nothing once the lockout has passed', () => {
    const now = 1_000_000;
    expect(retryAfterSeconds(undefined, now)).toBe(0);
    expect(retryAfterSeconds({ failures: 2 }, now)).toBe(0);
    expect(retryAfterSeconds({ failures: 5, lockedUntil: now + 1500 }, now)).toBe(2);
    expect(retryAfterSeconds({ failures: 5, lockedUntil: now }, now)).toBe(0);
  });
});
