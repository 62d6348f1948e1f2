import { NoticeChannelName, NoticeKind } from '@cg/contracts';

export interface ChannelChoice {
  enabled: boolean;
  mutedKinds: NoticeKind[];
}

/** What a person chose about notices leaving the system: addresses, channels, quiet hours, the daily digest. */
export interface OutboundPreferences {
  email?: string;
  phone?: string;
  wechatOpenId?: string;
  channels: Partial<Record<NoticeChannelName, ChannelChoice>>;
  quietHours?: { start: string; end: string };
  timeZone: string;
  digest: { enabled: boolean; at: string };
}

export interface DeliveryPlan {
  dueAt: Date;
  /** E-mail of a person on the daily digest: `<personId>:<local date>`, one e-mail per key. */
  digestKey?: string;
}

export function addressOf(prefs: OutboundPreferences, channel: NoticeChannelName): string | undefined {
  switch (channel) {
    case NoticeChannelName.Email:
      return prefs.email;
    case NoticeChannelName.Sms:
      return prefs.phone;
    case NoticeChannelName.WeChat:
      return prefs.wechatOpenId;
  }
}

/** The channel is on, this kind is not muted on it, and the person left an address for it. */
export function wants(prefs: OutboundPreferences, channel: NoticeChannelName, kind: NoticeKind): boolean {
  const choice = prefs.channels[channel];
  return Boolean(choice?.enabled && !choice.mutedKinds.includes(kind) && addressOf(prefs, channel));
}

export function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h * 60 + m;
}

/** The local calendar date and minute of the day of `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string): { date: string; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** The instant at local `minutes` of local `date` in `timeZone` (a minute that a clock change skips comes out an hour on). */
export function zonedInstant(date: string, minutes: number, timeZone: string): Date {
  const wanted = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  let guess = wanted;
  for (let i = 0; i < 3; i++) {
    const local = localTime(new Date(guess), timeZone);
    const seen = Date.parse(`${local.date}T00:00:00Z`) + local.minutes * 60_000;
    if (seen === wanted) break;
    guess += wanted - seen;
  }
  return new Date(guess);
}

function nextDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** When quiet hours hold `at`, the instant they end; else undefined. A start after the end spans midnight. */
export function quietUntil(at: Date, quiet: OutboundPreferences['quietHours'], timeZone: string): Date | undefined {
  if (!quiet) return undefined;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return undefined;
  const { date, minutes } = localTime(at, timeZone);
  const seconds = at.getUTCSeconds() * 1000 + at.getUTCMilliseconds();
  const now = minutes + seconds / 60_000;
  if (start < end) return now >= start && now < end ? zonedInstant(date, end, timeZone) : undefined;
  if (now >= start) return zonedInstant(nextDate(date, 1), end, timeZone);
  if (now < end) return zonedInstant(date, end, timeZone);
  return undefined;
}

/** `at`, or the end of the quiet hours holding it. */
export function sendableAt(at: Date, prefs: Pick<OutboundPreferences, 'quietHours' | 'timeZone'>): Date {
  return quietUntil(at, prefs.quietHours, prefs.timeZone) ?? at;
}

/** The first digest time strictly after `at`: today's when it is still ahead, else tomorrow's. */
export function nextDigestAt(at: Date, digestAt: string, timeZone: string): { at: Date; date: string } {
  const { date } = localTime(at, timeZone);
  const today = zonedInstant(date, minutesOf(digestAt), timeZone);
  if (today.getTime() > at.getTime()) return { at: today, date };
  const tomorrow = nextDate(date, 1);
  return { at: zonedInstant(tomorrow, minutesOf(digestAt), timeZone), date: tomorrow };
}

/**
 * When a notice goes out over a channel, or undefined when the person does not want it there. Never before
 * `notBefore` (an announcement published later), never inside quiet hours; e-mail on the digest waits for it.
 */
export function planDelivery(
  personId: string,
  now: Date,
  notBefore: Date,
  prefs: OutboundPreferences,
  channel: NoticeChannelName,
  kind: NoticeKind,
): DeliveryPlan | undefined {
  if (!wants(prefs, channel, kind)) return undefined;
  const base = notBefore.getTime() > now.getTime() ? notBefore : now;
  if (channel === NoticeChannelName.Email && prefs.digest.enabled) {
    const digest = nextDigestAt(base, prefs.digest.at, prefs.timeZone);
    return { dueAt: sendableAt(digest.at, prefs), digestKey: `${personId}:${digest.date}` };
  }
  return { dueAt: sendableAt(base, prefs) };
}

/** Wait before try `attempt + 1` after `attempt` failed: doubling from 2 s, at most 10 minutes. */
export function retryDelayMs(attempt: number): number {
  return Math.min(2000 * 2 ** Math.max(0, attempt - 1), 10 * 60_000);
}
