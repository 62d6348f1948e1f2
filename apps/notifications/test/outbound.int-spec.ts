import { INestApplication } from '@nestjs/common';
import { ActivitiesEvents, AnnouncementEvents, AnnouncementScope, NoticeKind, NoticeLanguage, Principal, Role } from '@cg/contracts';
import { NatsConnection, startServiceApp } from '@cg/messaging';
import { TestMailpit, eventually, runId, startMailpit } from '@cg/testing';
import mongoose, { Connection } from 'mongoose';
import { OutboundService } from '../src/delivery/outbound.service';
import { PreferencesService } from '../src/delivery/preferences.service';
import { NotificationsAppModule } from '../src/app.module';
import { activityPublished, eventOf, notificationsConfig, oid, publish, settled } from './support';

const hhmm = (at: Date) => at.toISOString().slice(11, 16);

describe('notices by e-mail, as each person chose', () => {
  const id = runId();
  const { config, options } = notificationsConfig(id);
  const communityId = oid();
  const activityId = oid();
  let mailpit: TestMailpit;
  let db: Connection;
  const apps: INestApplication[] = [];
  let nats: NatsConnection;
  const person = (): Principal => {
    const personId = oid();
    return { sub: `acct-${personId}`, personId, name: 'Resident', roles: [Role.Resident], communityIds: [communityId] };
  };
  const prefs = () => apps[0].get(PreferencesService);
  const confirmedFor = (p: Principal) =>
    eventOf(ActivitiesEvents.registrationConfirmed, communityId, { registrationId: oid(), activityId, personId: p.personId!, headcount: 1 });
  const deliveries = () => db.collection('deliveries');

  beforeAll(async () => {
    mailpit = await startMailpit();
    const withMail = { ...options, smtpUrl: mailpit.smtpUrl };
    // Two replicas: both consume events and both run the sender.
    for (let i = 0; i < 2; i++) apps.push(await startServiceApp(NotificationsAppModule.register(config, withMail), config));
    nats = apps[0].get(NatsConnection);
    db = await mongoose.createConnection(config.mongoUrl, { dbName: config.mongoDb }).asPromise();
    await publish(nats, activityPublished(communityId, activityId, 'Lawn music festival'));
  });

  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    await db?.close();
    await mailpit?.stop();
  });

  it('sends one e-mail per notice to a person with e-mail on, however often the event arrives', async () => {
    const on = person();
    await prefs().set(on, { language: NoticeLanguage.English, email: 'on@example.org', channels: { email: { enabled: true } } });
    const event = confirmedFor(on);
    await publish(nats, event);
    await publish(nats, event, `${event.id}-again`);
    await publish(nats, event, `${event.id}-third`);
    await settled(nats);
    await eventually(async () => (await mailpit.messages('on@example.org')).length > 0);
    await eventually(async () => (await deliveries().countDocuments({ personId: on.personId, status: 'sent' })) === 1);
    const mail = await mailpit.messages('on@example.org');
    expect(mail).toHaveLength(1);
    expect(mail[0].Subject).toBe('You are registered');
    expect(mail[0].Snippet).toContain('Lawn music festival');
    expect(await deliveries().countDocuments({ personId: on.personId })).toBe(1);
  });

  it('sends nothing to a person with e-mail off, or with this kind muted', async () => {
    const off = person();
    const muted = person();
    await prefs().set(off, { email: 'off@example.org', channels: { email: { enabled: false } } });
    await prefs().set(muted, {
      email: 'muted@example.org',
      channels: { email: { enabled: true, mutedKinds: [NoticeKind.RegistrationConfirmed] } },
    });
    const control = person();
    await prefs().set(control, { email: 'control@example.org', channels: { email: { enabled: true } } });
    for (const p of [off, muted, control]) await publish(nats, confirmedFor(p));
    await settled(nats);
    await eventually(async () => (await mailpit.messages('control@example.org')).length === 1);
    expect(await mailpit.messages('off@example.org')).toEqual([]);
    expect(await mailpit.messages('muted@example.org')).toEqual([]);
    expect(await deliveries().countDocuments({ personId: { $in: [off.personId, muted.personId] } })).toBe(0);
  });

  it('holds e-mail inside quiet hours until they end', async () => {
    const quiet = person();
    const now = new Date();
    const end = new Date(now.getTime() + 2 * 3600_000);
    await prefs().set(quiet, {
      email: 'quiet@example.org',
      channels: { email: { enabled: true } },
      timeZone: 'UTC',
      quietHours: { start: hhmm(new Date(now.getTime() - 3600_000)), end: hhmm(end) },
    });
    await publish(nats, confirmedFor(quiet));
    await settled(nats);
    const held = (await eventually(async () => deliveries().findOne({ personId: quiet.personId })))!;
    expect(held.status).toBe('pending');
    expect(new Date(held.dueAt).toISOString().slice(11, 16)).toBe(hhmm(end));
    await apps[0].get(OutboundService).sendDue();
    expect(await mailpit.messages('quiet@example.org')).toEqual([]);
  });

  it('sends a person on the daily digest one e-mail with the day\'s notices', async () => {
    const digest = person();
    await prefs().set(digest, { email: 'digest@example.org', channels: { email: { enabled: true } }, digest: { enabled: true, at: '20:00' } });
    await publish(nats, confirmedFor(digest));
    await publish(nats, eventOf(ActivitiesEvents.registrationPromoted, communityId, { registrationId: oid(), activityId, personId: digest.personId!, headcount: 1 }));
    await settled(nats);
    await eventually(async () => (await deliveries().countDocuments({ personId: digest.personId })) === 2);
    expect(await mailpit.messages('digest@example.org')).toEqual([]);
    // The digest time comes.
    await deliveries().updateMany({ personId: digest.personId }, { $set: { dueAt: new Date(Date.now() - 1000), leaseUntil: new Date(Date.now() - 1000) } });
    await eventually(async () => (await deliveries().countDocuments({ personId: digest.personId, status: 'sent' })) === 2);
    const mail = await mailpit.messages('digest@example.org');
    expect(mail).toHaveLength(1);
    expect(mail[0].Subject).toBe('今日社区通知（2条）');
  });

  it('e-mails an announcement to the subscribers of its audience only', async () => {
    const inCommunity = person();
    const elsewhere: Principal = { ...person(), communityIds: [oid()] };
    await prefs().set(inCommunity, { email: 'member@example.org', channels: { email: { enabled: true } } });
    await prefs().set(elsewhere, { email: 'elsewhere@example.org', channels: { email: { enabled: true } } });
    const announcement = eventOf(AnnouncementEvents.published, communityId, {
      announcementId: oid(),
      title: 'Water off on Saturday',
      scope: AnnouncementScope.Community,
      targetIds: [],
      publishAt: new Date().toISOString(),
      pinned: false,
    });
    await publish(nats, announcement);
    await publish(nats, announcement, `${announcement.id}-again`);
    await settled(nats);
    await eventually(async () => (await mailpit.messages('member@example.org')).length === 1);
    expect(await mailpit.messages('elsewhere@example.org')).toEqual([]);
    expect(await deliveries().countDocuments({ noticeId: `${announcement.id}:${inCommunity.personId}` })).toBe(1);
  });
});

describe('e-mail the SMTP server does not take', () => {
  const { config, options } = notificationsConfig(runId());
  let app: INestApplication;
  let db: Connection;

  beforeAll(async () => {
    // Nothing listens on port 9 of this machine: every send fails.
    app = await startServiceApp(NotificationsAppModule.register(config, { ...options, smtpUrl: 'smtp://127.0.0.1:9', deliveryAttempts: 2 }), config);
    db = await mongoose.createConnection(config.mongoUrl, { dbName: config.mongoDb }).asPromise();
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('is tried again later, then given up as failed after the last attempt', async () => {
    const communityId = oid();
    const personId = oid();
    const caller: Principal = { sub: `acct-${personId}`, personId, name: 'Resident', roles: [Role.Resident], communityIds: [communityId] };
    await app.get(PreferencesService).set(caller, { email: 'unlucky@example.org', channels: { email: { enabled: true } } });
    const nats = app.get(NatsConnection);
    await publish(nats, eventOf(ActivitiesEvents.registrationConfirmed, communityId, { registrationId: oid(), activityId: oid(), personId, headcount: 1 }));
    const retrying = (await eventually(async () => db.collection('deliveries').findOne({ personId, attempts: 1, status: 'pending' }), 20_000))!;
    expect(new Date(retrying.dueAt).getTime()).toBeGreaterThan(Date.now());
    expect(retrying.lastError).toBeTruthy();
    const failed = (await eventually(async () => db.collection('deliveries').findOne({ personId, status: 'failed' }), 20_000))!;
    expect(failed.attempts).toBe(2);
  });
});
