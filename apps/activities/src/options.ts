import { ConfigError } from '@cg/observability';

/** Settings of the activities service beyond the common service configuration. */
export interface ActivitiesOptions {
  /** How long an approved micro-wish stays on the board unclaimed before it expires. */
  microWishClaimWindowMs: number;
}

export const ACTIVITIES_OPTIONS = Symbol('ACTIVITIES_OPTIONS');

const DAY_MS = 24 * 3600 * 1000;

export function loadActivitiesOptions(env: NodeJS.ProcessEnv = process.env): ActivitiesOptions {
  const raw = env.MICRO_WISH_CLAIM_DAYS;
  const days = raw === undefined || raw === '' ? 30 : Number(raw);
  if (!Number.isInteger(days) || days < 1 || days > 365) {
    throw new ConfigError(`MICRO_WISH_CLAIM_DAYS must be an integer between 1 and 365, got "${raw}"`);
  }
  return { microWishClaimWindowMs: days * DAY_MS };
}
