import { INestApplication } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import {
  ActivitiesEvents,
  AnnouncementEvents,
  AnnouncementScope,
  DOMAIN_EVENTS_STREAM,
  EventContract,
  EventEnvelope,
  MembershipEvents,
  Principal,
  Relation,
  RegistrationStatus,
  Role,
  ServiceName,
  newEvent,
} from '@cg/contracts';
import { DurableConsumers, NatsConnection, Outbox, startServiceApp } from '@cg/messaging';
import { Metrics } from '@cg/observability';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import mongoose, { Connection, Types } from 'mongoose';
import { JSONCodec } from 'nats';
import { ActivitiesService } from '../src/activities/activities.service';
import { Registration } from '../src/activities/registration.schema';
import { RegistrationsService } from '../src/activities/registrations.service';
import { Announcement } from '../src/announcements/announcement.schema';
import { AnnouncementsService } from '../src/announcements/announcements.service';
import { ActivitiesAppModule } from '../src/app.module';
import { MicroWishesService } from '../src/micro-wishes/micro-wishes.service';
import { RESIDENTS_CONSUMER, ResidencyService } from '../src/residents/residency.service';
import { activityDto } from './activity-dto';

const oid = () => new Types.ObjectId();
const codec = JSONCodec();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MINUTE = 60_000;
/** The outbox of one feature (every feature module has its own). */
const outboxOf = (service: object) => (service as unknown as { outbox: Outbox }).outbox;

/**
 * What a process that dies leaves behind, as near as one process can show it: its database and NATS connections
 * cut with work in flight (writes half done, messages taken but not acknowledged), then the rest of it shut.
 */
async function crash(app: INestApplication): Promise<void> {
  await app.get<Connection>(getConnectionToken()).destroy(true);
  await app.get(NatsConnection).nc.close();
  const server = (app.getMicroservices()[0] as unknown as { serverInstance?: { natsClient?: { close(): Promise<void> } } })
    .serverInstance;
  await server?.natsClient?.close().catch(() => undefined);
  await Promise.race([app.close().catch(() => undefined), sleep(5000)]);
}

describe('three copies of the activities service on one database, one of them stopped abruptly', () => {
  const id = runId();
  const config = testServiceConfig(ServiceName.Activities, id);
  const communityId = oid();
  const staff: Principal = { sub: 'staff', name: 'Chen Jing', roles: [Role.CommunityStaff], communityIds: [String(communityId)] };
  const published: EventEnvelope<Record<string, unknown>>[] = [];
  const observed: EventContract<Record<string, unknown>>[] = [
    AnnouncementEvents.published,
    ActivitiesEvents.registrationConfirmed,
    ActivitiesEvents.registrationWaitlisted,
  ] as never;
  let copies: INestApplication[];
  let db: Connection;
  let nats: NatsConnection;

  const eventsOf = (type: string) => published.filter((e) => e.type === type && e.communityId === String(communityId));

  /** Every outbox empty, and the test's consumers have taken every event: counts are final. */
  const settled = () =>
    eventually(async () => {
      for (const name of ['announcements', 'registrations']) {
        if ((await db.collection(name).countDocuments({ 'outbox.0': { $exists: true } })) > 0) return false;
      }
      for (let n = 0; n < observed.length; n++) {
        const info = await nats.jsm.consumers.info(DOMAIN_EVENTS_STREAM, `test-copies-${id}-${n}`);
        if (info.num_pending > 0 || info.num_ack_pending > 0) return false;
      }
      return true;
    }, 60_000);

  const start = () => startServiceApp(ActivitiesAppModule.register(config), config);

  /**
   * Runs `sweep` on every copy, `rounds` times at once, and stops the second copy abruptly in the middle; the copies
   * left carry on as their timers would. Then the second copy is started again, as its orchestrator would.
   */
  async function sweepWithOneCrash(sweep: (app: INestApplication) => Promise<unknown>, rounds = 4): Promise<void> {
    const running = copies.map(async (app) => {
      for (let round = 0; round < rounds; round++) await sweep(app).catch(() => undefined);
    });
    await sleep(15);
    await crash(copies[1]);
    await Promise.all(running);
    const survivors = [copies[0], copies[2]];
    for (let round = 0; round < 3; round++) await Promise.all(survivors.map(sweep));
    copies[1] = await start();
  }

  beforeAll(async () => {
    copies = [];
    for (let n = 0; n < 3; n++) copies.push(await start());
    nats = copies[0].get(NatsConnection);
    db = await mongoose.createConnection(config.mongoUrl, { dbName: config.mongoDb }).asPromise();
    for (const [n, event] of observed.entries()) {
      await copies[0].get(DurableConsumers).start({
        durable: `test-copies-${id}-${n}`,
        event,
        handle: async (e) => void published.push(e),
      });
    }
  });

  afterAll(async () => {
    await Promise.all(copies.map((app) => app.close()));
    await db?.close();
  });

  it('publishes each due announcement exactly once when every copy schedules at once and one dies mid-sweep', async () => {
    const now = Date.now();
    const notices = Array.from({ length: 60 }, (_, n) => ({
      _id: oid(),
      communityId,
      title: `Water off in building ${n + 1}`,
      body: 'From 9:00 to 12:00 on Saturday',
      scope: AnnouncementScope.Community,
      targetIds: [],
      targets: [`community:${communityId}`],
      publishAt: new Date(now - MINUTE),
      rank: 0,
      announced: false,
      postedBy: staff.sub,
      postedAt: new Date(now - 2 * MINUTE),
      outbox: [],
    }));
    await db.collection('announcements').insertMany(notices);

    await sweepWithOneCrash(async (app) => {
      await app.get(AnnouncementsService).publishDue(new Date());
      await outboxOf(app.get(AnnouncementsService)).sweep(Announcement.name);
    });
    await settled();

    const announced = await db.collection('announcements').find({ communityId }).toArray();
    expect(announced.every((a) => a.announced === true && a.outbox.length === 0)).toBe(true);
    const events = eventsOf(AnnouncementEvents.published.type);
    expect(events.map((e) => e.data.announcementId).sort()).toEqual(notices.map((n) => String(n._id)).sort());
  });

  it('settles each half-done registration once when every copy recovers at once and one dies: places taken once, one event each', async () => {
    const activities = copies[0].get(ActivitiesService);
    const activity = await activities.create(staff, String(communityId), activityDto('Lantern riddles evening', 10));
    await activities.take(staff, String(communityId), activity.id, 'publish');
    const old = new Date(Date.now() - 10 * MINUTE);
    // Registrations stored by attempts that stopped before taking places: the recovery sweep finishes them.
    const pending = Array.from({ length: 25 }, (_, n) => {
      const personId = oid();
      return {
        _id: oid(),
        communityId,
        activityId: new Types.ObjectId(activity.id),
        personId,
        personName: `Resident ${n + 1}`,
        members: [],
        headcount: 1,
        status: RegistrationStatus.Pending,
        holder: String(personId),
        checkInCode: `C${String(n).padStart(5, '0')}`,
        registeredAt: old,
        createdAt: old,
        updatedAt: old,
        outbox: [],
      };
    });
    await db.collection('registrations').insertMany(pending);

    const recover = async (app: INestApplication) => {
      await app.get(RegistrationsService).recoverUnsettled(new Date(Date.now() - 1000));
      await outboxOf(app.get(RegistrationsService)).sweep(Registration.name);
    };
    await sweepWithOneCrash(recover);
    // A registration the dying copy had claimed is out of sight for the grace (here 1 s); the survivors' timers
    // keep sweeping and finish it after that.
    await eventually(async () => {
      await Promise.all([copies[0], copies[2]].map(recover));
      return (await db.collection('registrations').countDocuments({ activityId: new Types.ObjectId(activity.id), status: RegistrationStatus.Pending })) === 0;
    }, 30_000);
    await settled();

    const stored = await db.collection('registrations').find({ activityId: new Types.ObjectId(activity.id) }).toArray();
    const confirmed = stored.filter((r) => r.status === RegistrationStatus.Confirmed);
    const waiting = stored.filter((r) => r.status === RegistrationStatus.Waitlisted);
    expect(confirmed).toHaveLength(10);
    expect(waiting.map((r) => r.queuePosition).sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, n) => n + 1));
    expect((await activities.get(staff, String(communityId), activity.id)).placesLeft).toBe(0);
    const ofActivity = (type: string) => eventsOf(type).filter((e) => e.data.activityId === activity.id);
    expect(ofActivity(ActivitiesEvents.registrationConfirmed.type).map((e) => e.data.registrationId).sort()).toEqual(
      confirmed.map((r) => String(r._id)).sort(),
    );
    expect(ofActivity(ActivitiesEvents.registrationWaitlisted.type).map((e) => e.data.registrationId).sort()).toEqual(
      waiting.map((r) => String(r._id)).sort(),
    );
  });

  it('expires each overdue micro-wish once when every copy sweeps at once and one dies', async () => {
    const now = Date.now();
    const wishes = Array.from({ length: 20 }, (_, n) => ({
      _id: oid(),
      communityId,
      status: 'approved',
      expiresAt: new Date(now - MINUTE),
      title: `Wish ${n + 1}`,
      outbox: [],
    }));
    await db.collection('micro_wishes').insertMany(wishes);
    const expired: number[] = [];
    await sweepWithOneCrash(async (app) => expired.push(await app.get(MicroWishesService).expireDue(new Date())));
    // Each wish changed status in one write; the dying copy's write may have landed without its reply reaching it.
    expect(expired.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(20);
    const stored = await db.collection('micro_wishes').find({ communityId }).toArray();
    expect(stored.every((w) => w.status === 'expired')).toBe(true);
  });

  it('shares a durable consumer between the copies: each event is handled by one of them, and a dying copy\'s by another', async () => {
    const people = Array.from({ length: 60 }, () => String(oid()));
    const handledBefore = await Promise.all(copies.map(acked));
    for (const [n, personId] of people.entries()) {
      if (n === 30) void crash(copies[1]);
      const event = newEvent(
        MembershipEvents.residentRegistered,
        {
          personId,
          name: 'Resident',
          unitId: String(oid()),
          buildingId: String(oid()),
          gridId: String(oid()),
          relation: Relation.Tenant,
        },
        { communityId: String(communityId), actor: 'test', correlationId: `c-${id}` },
      );
      await nats.js.publish(event.type, codec.encode(event), { msgID: event.id });
    }
    await eventually(async () => {
      const info = await nats.jsm.consumers.info(DOMAIN_EVENTS_STREAM, RESIDENTS_CONSUMER);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    }, 100_000);
    const residencies = copies[0].get(ResidencyService);
    const found = await Promise.all(people.map((personId) => residencies.find(String(communityId), personId)));
    expect(found.every(Boolean)).toBe(true);
    // Acknowledged once each, apart from those the dying copy handled without getting its acknowledgement through.
    const handled = (await Promise.all(copies.map(acked))).map((n, i) => n - handledBefore[i]);
    expect(handled.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(people.length);
    expect(handled[0] + handled[2]).toBeGreaterThan(0);
    copies[1] = await start();
  }, 150_000);

  async function acked(app: INestApplication): Promise<number> {
    const metric = await app.get(Metrics).eventsConsumed.get();
    return metric.values
      .filter((v) => v.labels.consumer === RESIDENTS_CONSUMER && v.labels.outcome === 'ack')
      .reduce((sum, v) => sum + v.value, 0);
  }
});
