import { ConfigError } from '@cg/observability';

/** Settings of the notifications service beyond the common service configuration. */
export interface NotificationsOptions {
  /** How long a reader's building, grid and area are kept before grid is asked again. */
  residenceTtlMs: number;
  /** How long an unacknowledged event waits before JetStream delivers it again (to another replica). */
  ackWaitMs: number;
  /** Events older than this tell nobody anything new (a consumer created late replays the stream): skipped. */
  maxEventAgeMs: number;
  /** How often the outbound sender looks for due e-mail, SMS and WeChat deliveries. */
  deliveryPollMs: number;
  /** Tries per delivery before it is given up as failed. */
  deliveryAttempts: number;
  /** `smtp://host:port` (or `smtps://user:pass@host:port`): e-mail is off without it. */
  smtpUrl?: string;
  mailFrom: string;
  /** HTTP endpoint of the SMS gateway (POST, JSON): SMS is off without it. */
  smsUrl?: string;
  smsToken?: string;
  /** HTTP endpoint that sends WeChat template messages (POST, JSON): WeChat is off without it. */
  wechatUrl?: string;
  wechatToken?: string;
  wechatTemplateId?: string;
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

function url(env: NodeJS.ProcessEnv, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(`${name} must start with ${protocols.join(' or ')}//, got "${raw}"`);
  return raw;
}

export function loadNotificationsOptions(env: NodeJS.ProcessEnv = process.env): NotificationsOptions {
  return {
    residenceTtlMs: integer(env, 'NOTIFICATIONS_RESIDENCE_TTL_MS', 60_000, 0, 3_600_000),
    ackWaitMs: integer(env, 'NOTIFICATIONS_ACK_WAIT_MS', 30_000, 1000, 600_000),
    maxEventAgeMs: integer(env, 'NOTIFICATIONS_MAX_EVENT_AGE_HOURS', 72, 1, 24 * 30) * 3_600_000,
    deliveryPollMs: integer(env, 'NOTIFICATIONS_DELIVERY_POLL_MS', 1000, 50, 600_000),
    deliveryAttempts: integer(env, 'NOTIFICATIONS_DELIVERY_ATTEMPTS', 5, 1, 50),
    smtpUrl: url(env, 'NOTIFICATIONS_SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: env.NOTIFICATIONS_MAIL_FROM || '社区通知 <notices@localhost>',
    smsUrl: url(env, 'NOTIFICATIONS_SMS_URL', ['http:', 'https:']),
    smsToken: env.NOTIFICATIONS_SMS_TOKEN || undefined,
    wechatUrl: url(env, 'NOTIFICATIONS_WECHAT_URL', ['http:', 'https:']),
    wechatToken: env.NOTIFICATIONS_WECHAT_TOKEN || undefined,
    wechatTemplateId: env.NOTIFICATIONS_WECHAT_TEMPLATE_ID || undefined,
  };
}
