/** How often every replica looks for ballots whose voting period is over, and how long it waits past the end. */
export interface BallotSchedule {
  sweepMs: number;
  /** A vote that passed the window check just before the end is stored well within this. */
  closeGraceMs: number;
}

export const BALLOT_SCHEDULE = Symbol('BALLOT_SCHEDULE');

/** How long before a ballot closes its owners are told voting ends soon. */
export const CLOSING_SOON_LEAD_MS = 24 * 3_600_000;

function milliseconds(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number of milliseconds, at least ${min}; got "${raw}"`);
  return value;
}

/** Read at boot; a bad value stops the service with the variable's name. */
export function ballotScheduleOf(env: NodeJS.ProcessEnv): BallotSchedule {
  return {
    sweepMs: milliseconds(env, 'BALLOT_SWEEP_MS', 15_000, 100),
    closeGraceMs: milliseconds(env, 'BALLOT_CLOSE_GRACE_MS', 30_000, 0),
  };
}
