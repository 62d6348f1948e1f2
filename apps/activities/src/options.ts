import { ConfigError } from '@cg/observability';

/** Settings of the activities service beyond the common service configuration. */
export interface ActivitiesOptions {
  /** How long an approved micro-wish stays on the board unclaimed before it expires. */
  microWishClaimWindowMs: number;
  /** Check-in opens this long before an activity starts. */
  checkInOpensBeforeMs: number;
  /** Check-in of an activity without an end closes this long after it starts. */
  checkInClosesAfterStartMs: number;
}

export const ACTIVITIES_OPTIONS = Symbol('ACTIVITIES_OPTIONS');

const DAY_MS = 24 * 3600 * 1000;
const MINUTE_MS = 60_000;

function minutes(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 7 * 24 * 60) {
    throw new ConfigError(`${name} must be a whole number of minutes between 0 and 10080, got "${raw}"`);
  }
  return value * MINUTE_MS;
}

export function loadActivitiesOptions(env: NodeJS.ProcessEnv = process.env): ActivitiesOptions {
  const raw = env.MICRO_WISH_CLAIM_DAYS;
  const days = raw === undefined || raw === '' ? 30 : Number(raw);
  if (!Number.isInteger(days) || days < 1 || days > 365) {
    throw new ConfigError(`MICRO_WISH_CLAIM_DAYS must be an integer between 1 and 365, got "${raw}"`);
  }
  return {
    microWishClaimWindowMs: days * DAY_MS,
    checkInOpensBeforeMs: minutes(env, 'CHECK_IN_OPENS_MINUTES_BEFORE', 30),
    checkInClosesAfterStartMs: minutes(env, 'CHECK_IN_CLOSES_MINUTES_AFTER_START', 120),
  };
}
