import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  DEFAULT_DIGEST_AT,
  DEFAULT_NOTICE_LANGUAGE,
  DEFAULT_NOTICE_TIME_ZONE,
  NoticeChannelName,
  NoticeLanguage,
  Role,
} from '@cg/contracts';
import { Logger, PINO_LOGGER } from '@cg/observability';
import { randomUUID } from 'node:crypto';
import { readerKeys } from '../notices/audiences';
import { AudienceNotice, PersonalNotice } from '../notices/notice.schema';
import { NoticesRepository } from '../notices/notices.repository';
import { ResidenceCache } from '../notices/residence.cache';
import { render } from '../notices/templates';
import { NOTIFICATIONS_OPTIONS, NotificationsOptions } from '../options';
import { DeliveriesRepository } from './deliveries.repository';
import { Delivery, NoticePreferences } from './delivery.schema';
import { NOTICE_CHANNELS, NoticeChannel } from './notice-channel';
import { OutboundPreferences, addressOf, planDelivery, quietUntil, retryDelayMs, wants } from './outbound-rules';

/** How long a sender holds a delivery it took; past that another sender may take it over. */
const LEASE_MS = 60_000;
const BATCH = 50;
const PARALLEL = 8;

export function outboundPreferences(doc: NoticePreferences | null): OutboundPreferences | undefined {
  if (!doc) return undefined;
  return {
    email: doc.email,
    phone: doc.phone,
    wechatOpenId: doc.wechatOpenId,
    channels: doc.channels ?? {},
    ...(doc.quietHours && { quietHours: doc.quietHours }),
    timeZone: doc.timeZone ?? DEFAULT_NOTICE_TIME_ZONE,
    digest: { enabled: doc.digest?.enabled ?? false, at: doc.digest?.at ?? DEFAULT_DIGEST_AT },
  };
}

const DIGEST_SUBJECT: Record<NoticeLanguage, (n: number) => string> = {
  [NoticeLanguage.Chinese]: (n) => `今日社区通知（${n}条）`,
  [NoticeLanguage.English]: (n) => `Your notices of the day (${n})`,
};

/**
 * Notices leaving the system over e-mail, SMS and WeChat. Planning inserts one delivery per person, notice and
 * channel (a repeat finds it there and does nothing); a background sender, in every replica, takes due deliveries
 * one at a time under a lease, sends them, and retries failures later until the attempts run out.
 */
@Injectable()
export class OutboundService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private readonly channels: Map<NoticeChannelName, NoticeChannel>;

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly notices: NoticesRepository,
    private readonly residences: ResidenceCache,
    @Inject(NOTICE_CHANNELS) channels: NoticeChannel[],
    @Inject(NOTIFICATIONS_OPTIONS) private readonly options: NotificationsOptions,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {
    this.channels = new Map(channels.filter((c) => c.configured).map((c) => [c.name, c]));
    this.all = channels;
  }

  private readonly all: NoticeChannel[];

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), this.options.deliveryPollMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    for (const channel of this.all) channel.close?.();
  }

  async planPersonal(notice: PersonalNotice): Promise<void> {
    if (this.channels.size === 0) return;
    const prefs = await this.deliveries.preferencesOf(notice.personId);
    if (prefs?.outbound) await this.plan(notice.personId, notice._id, notice, prefs);
  }

  /** Only people who turned a channel on are looked at; an audience of 40,000 costs what its subscribers cost. */
  async planAudience(notice: AudienceNotice): Promise<void> {
    if (this.channels.size === 0) return;
    const audiences = new Set(notice.audiences);
    for (const prefs of await this.deliveries.subscribersOf(notice.communityId)) {
      const caller = { communityIds: prefs.communityIds, roles: prefs.roles as Role[] };
      let keys = readerKeys(caller, undefined);
      if (!keys.some((k) => audiences.has(k))) {
        const place = await this.residences.placeOf(notice.communityId, prefs._id);
        keys = readerKeys(caller, place);
      }
      if (keys.some((k) => audiences.has(k))) await this.plan(prefs._id, `${notice._id}:${prefs._id}`, notice, prefs);
    }
  }

  private async plan(personId: string, noticeId: string, notice: PersonalNotice | AudienceNotice, doc: NoticePreferences): Promise<void> {
    const prefs = outboundPreferences(doc)!;
    const now = new Date();
    let planned = false;
    for (const channel of this.channels.keys()) {
      const plan = planDelivery(personId, now, new Date(notice.at), prefs, channel, notice.kind);
      if (!plan) continue;
      const created = await this.deliveries.insert({
        _id: `${noticeId}:${channel}`,
        personId,
        noticeId,
        communityId: notice.communityId,
        channel,
        kind: notice.kind,
        params: notice.params,
        ...(notice.link && { link: notice.link }),
        status: 'pending',
        dueAt: plan.dueAt,
        leaseUntil: plan.dueAt,
        attempts: 0,
        ...(plan.digestKey && { digestKey: plan.digestKey }),
        createdAt: now,
      });
      planned ||= created && plan.dueAt.getTime() <= now.getTime();
    }
    if (planned) this.kick();
  }

  /** Runs the sender now, or once more after the run in progress. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        while (!this.stopped && (await this.sendDue()) > 0);
      } while (this.again && !this.stopped);
    })()
      .catch((error) => this.logger.warn({ err: error }, 'outbound sender failed; the next round retries'))
      .finally(() => (this.running = undefined));
  }

  /** Sends what is due now: one pass; answers how many deliveries it looked at. */
  async sendDue(): Promise<number> {
    const due = await this.deliveries.due(new Date(), BATCH);
    const digests = new Set<string>();
    const singles: Delivery[] = [];
    for (const d of due) {
      if (d.digestKey) digests.add(d.digestKey);
      else singles.push(d);
    }
    const work: (() => Promise<void>)[] = [
      ...singles.map((d) => () => this.sendOne(d._id)),
      ...[...digests].map((key) => () => this.sendDigest(key)),
    ];
    for (let i = 0; i < work.length; i += PARALLEL) await Promise.all(work.slice(i, i + PARALLEL).map((w) => w()));
    return due.length;
  }

  private async sendOne(id: string): Promise<void> {
    const now = new Date();
    const claim = randomUUID();
    const delivery = await this.deliveries.claim(id, now, new Date(now.getTime() + LEASE_MS), claim);
    if (!delivery) return;
    const ready = await this.ready(delivery, claim, now);
    if (!ready) return;
    const text = render(delivery.kind, delivery.params, ready.language);
    await this.attempt(claim, delivery, ready.channel, { deliveryId: delivery._id, address: ready.address, subject: text.title, text: text.body });
  }

  private async sendDigest(digestKey: string): Promise<void> {
    const now = new Date();
    const claim = randomUUID();
    const items = await this.deliveries.claimDigest(digestKey, now, new Date(now.getTime() + LEASE_MS), claim);
    if (items.length === 0) return;
    const ready = await this.ready(items[0], claim, now);
    if (!ready) return;
    const texts = items.map((d) => render(d.kind, d.params, ready.language));
    const subject = DIGEST_SUBJECT[ready.language](items.length);
    const body = texts.map((t) => `· ${t.title}\n  ${t.body}`).join('\n\n');
    await this.attempt(claim, items[0], ready.channel, { deliveryId: `digest:${digestKey}`, address: ready.address, subject, text: body });
  }

  /** The channel, address and language to send a claimed delivery with; undefined when it is not to go out now. */
  private async ready(delivery: Delivery, claim: string, now: Date) {
    const [doc, recipient] = await Promise.all([
      this.deliveries.preferencesOf(delivery.personId),
      this.notices.findRecipient(delivery.personId),
    ]);
    const prefs = outboundPreferences(doc);
    const channel = this.channels.get(delivery.channel);
    // Turned off or muted since it was planned: it does not go out.
    if (!prefs || !channel || !wants(prefs, delivery.channel, delivery.kind)) {
      await this.deliveries.finish(claim, { status: 'skipped' });
      return undefined;
    }
    const quiet = quietUntil(now, prefs.quietHours, prefs.timeZone);
    if (quiet) {
      await this.deliveries.release(claim, quiet);
      return undefined;
    }
    return { channel, address: addressOf(prefs, delivery.channel)!, language: recipient?.language ?? DEFAULT_NOTICE_LANGUAGE };
  }

  private async attempt(claim: string, delivery: Delivery, channel: NoticeChannel, message: Parameters<NoticeChannel['send']>[0]): Promise<void> {
    try {
      await channel.send(message);
      await this.deliveries.finish(claim, { status: 'sent', sentAt: new Date() });
    } catch (error) {
      const attempts = delivery.attempts + 1;
      const reason = (error as Error).message ?? String(error);
      if (attempts >= this.options.deliveryAttempts) {
        this.logger.error({ err: error, deliveryId: delivery._id, attempts }, 'delivery given up');
        await this.deliveries.finish(claim, { status: 'failed', lastError: reason, attempts });
      } else {
        this.logger.warn({ err: error, deliveryId: delivery._id, attempts }, 'delivery failed, will retry');
        await this.deliveries.release(claim, new Date(Date.now() + retryDelayMs(attempts)), reason);
      }
    }
  }
}
