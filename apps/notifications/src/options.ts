import { ConfigError } from '@cg/observability';

/** Settings of the notifications service beyond the common service configuration. */
export interface NotificationsOptions {
  /** How long a reader's building, grid and area are kept before grid is asked again. */
  residenceTtlMs: number;
  /** How long an unacknowledged event waits before JetStream delivers it again (to another replica). */
  ackWaitMs: number;
  /** Events older than this tell nobody anything new (a consumer created late replays the stream): skipped. */
  maxEventAgeMs: number;
}

export const NOTIFICATIONS_OPTIONS = Symbol('NOTIFICATIONS_OPTIONS');

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

export function loadNotificationsOptions(env: NodeJS.ProcessEnv = process.env): NotificationsOptions {
  return {
    residenceTtlMs: integer(env, 'NOTIFICATIONS_RESIDENCE_TTL_MS', 60_000, 0, 3_600_000),
    ackWaitMs: integer(env, 'NOTIFICATIONS_ACK_WAIT_MS', 30_000, 1000, 600_000),
    maxEventAgeMs: integer(env, 'NOTIFICATIONS_MAX_EVENT_AGE_HOURS', 72, 1, 24 * 30) * 3_600_000,
  };
}
