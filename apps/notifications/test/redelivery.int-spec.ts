import { INestApplication } from '@nestjs/common';
import { ActivitiesEvents, EventEnvelope, RegistrationData } from '@cg/contracts';
import { NatsConnection, startServiceApp } from '@cg/messaging';
import { TestMailpit, eventually, runId, startMailpit } from '@cg/testing';
import mongoose, { Connection } from 'mongoose';
import { NotificationsAppModule } from '../src/app.module';
import { PreferencesService } from '../src/delivery/preferences.service';
import { activityPublished, eventOf, notificationsConfig, oid, publish, settled } from './support';

const EVENTS = 1200;
/** Every this many people asked for e-mail too. */
const EMAIL_EVERY = 10;

describe('a notice per person and event, exactly, when an instance stops mid-batch', () => {
  const id = runId();
  const { config, options } = notificationsConfig(id);
  const communityId = oid();
  let db: Connection;
  let mailpit: TestMailpit;
  const apps: INestApplication[] = [];

  const start = async () => {
    const app = await startServiceApp(NotificationsAppModule.register(config, { ...options, smtpUrl: mailpit.smtpUrl }), config);
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    mailpit = await startMailpit();
    db = await mongoose.createConnection(config.mongoUrl, { dbName: config.mongoDb }).asPromise();
  });

  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    await db?.close();
    await mailpit?.stop();
  });

  it('loses none and doubles none, inbox or e-mail, after closing the consumer and starting two replicas', async () => {
    const first = await start();
    const nats = first.get(NatsConnection);
    const activityId = oid();
    await publish(nats, activityPublished(communityId, activityId, 'City health run'));
    const events: EventEnvelope<RegistrationData>[] = Array.from({ length: EVENTS }, () =>
      eventOf(ActivitiesEvents.registrationConfirmed, communityId, { registrationId: oid(), activityId, personId: oid(), headcount: 1 }),
    );
    // Some people get two notices from two events; one event is published twice past the duplicate window.
    events.push(eventOf(ActivitiesEvents.registrationCancelled, communityId, { ...events[0].data, registrationId: oid() }));
    const emailed = events.slice(0, EVENTS).filter((_, i) => i % EMAIL_EVERY === 0).map((e) => e.data.personId);
    for (const personId of emailed) {
      await first.get(PreferencesService).set(
        { sub: `acct-${personId}`, personId, name: 'Resident', roles: [], communityIds: [communityId] },
        { email: `${personId}@example.org`, channels: { email: { enabled: true } } },
      );
    }
    for (let i = 0; i < events.length; i += 100) await Promise.all(events.slice(i, i + 100).map((e) => publish(nats, e)));
    await publish(nats, events[1], `${events[1].id}-again`);

    const notices = db.collection('notices');
    await eventually(async () => (await notices.estimatedDocumentCount()) >= 50, 30_000);
    await first.close();
    const storedAtClose = await notices.countDocuments();
    expect(storedAtClose).toBeLessThan(events.length);

    const [second] = await Promise.all([start(), start()]);
    await settled(second.get(NatsConnection), 60_000);
    await eventually(async () => (await notices.countDocuments()) === events.length, 30_000);

    expect(await notices.countDocuments()).toBe(events.length);
    const perEvent = await notices.aggregate([{ $group: { _id: '$eventId', n: { $sum: 1 } } }, { $match: { n: { $gt: 1 } } }]).toArray();
    expect(perEvent).toEqual([]);
    const recipients = await db.collection('recipients').find({}).toArray();
    expect(recipients).toHaveLength(EVENTS);
    const lengths = new Map(recipients.map((r) => [String(r._id), (r.recent as unknown[]).length]));
    expect(lengths.get(events[0].data.personId)).toBe(2);
    expect([...lengths.values()].filter((n) => n !== 1)).toEqual([2]);
    for (const event of events) {
      expect(await notices.countDocuments({ _id: `${event.id}:${event.data.personId}` as never })).toBe(1);
    }

    // Every e-mail once: one per notice of the people who asked for e-mail (the first of them has two notices).
    const deliveries = db.collection('deliveries');
    await eventually(async () => (await deliveries.countDocuments({ status: 'sent' })) === emailed.length + 1, 60_000);
    expect(await deliveries.countDocuments()).toBe(emailed.length + 1);
    const mail = await mailpit.messages();
    expect(mail).toHaveLength(emailed.length + 1);
    expect(new Set(mail.map((m) => m.MessageID)).size).toBe(emailed.length + 1);
  });
});
