import { INestApplication } from '@nestjs/common';
import {
  ActivitiesEvents,
  CreateActivityDto,
  DOMAIN_EVENTS_STREAM,
  DomainException,
  ErrorCode,
  EventContract,
  EventEnvelope,
  Principal,
  RegistrationStatus,
  Role,
  ServiceName,
} from '@cg/contracts';
import { DurableConsumers, NatsConnection, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import mongoose, { Connection, Types } from 'mongoose';
import { ActivitiesService } from '../src/activities/activities.service';
import { RegistrationsService } from '../src/activities/registrations.service';
import { ActivitiesAppModule } from '../src/app.module';
import { activityDto, startingSoon } from './activity-dto';

const oid = () => new Types.ObjectId().toHexString();
const HOUR = 3600_000;

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as DomainException).code ?? ErrorCode.INTERNAL;
  }
}

const REGISTRATION_EVENTS: EventContract<{ registrationId: string }>[] = [
  ActivitiesEvents.registrationConfirmed,
  ActivitiesEvents.registrationWaitlisted,
  ActivitiesEvents.registrationPromoted,
  ActivitiesEvents.registrationCancelled,
  ActivitiesEvents.checkedIn,
];

describe('registrations decided by one conditional update of the activity, each event published once', () => {
  const id = runId();
  const config = testServiceConfig(ServiceName.Activities, id);
  const communityId = oid();
  const staff: Principal = { sub: 'staff', name: 'Chen Jing', roles: [Role.CommunityStaff], communityIds: [communityId] };
  const durables = [...REGISTRATION_EVENTS, ActivitiesEvents.activityPublished].map((event, n) => ({
    event,
    durable: `test-registration-events-${id}-${n}`,
  }));
  const published: EventEnvelope<Record<string, unknown>>[] = [];
  let first: INestApplication;
  let second: INestApplication;
  let apps: INestApplication[];
  let nats: NatsConnection;
  let db: Connection;
  let residentCount = 0;

  const registrations = (app: INestApplication) => app.get(RegistrationsService);
  const activities = (app: INestApplication) => app.get(ActivitiesService);
  const app = (n: number) => apps[n % 2];
  const eventsOf = (key: string, value: string) => published.filter((e) => e.data[key] === value);
  const typesOf = (registrationId: string) => eventsOf('registrationId', registrationId).map((e) => e.type);
  const activityDoc = async (activityId: string) => (await db.collection('activities').findOne({ _id: new Types.ObjectId(activityId) }))!;
  const registrationsOf = (activityId: string) => db.collection('registrations').find({ activityId: new Types.ObjectId(activityId) }).toArray();

  function resident(): Principal {
    residentCount += 1;
    return { sub: `r${residentCount}`, personId: oid(), name: `Resident ${residentCount}`, roles: [Role.Resident], communityIds: [communityId] };
  }

  async function openActivity(capacity: number, times: Partial<CreateActivityDto> = {}): Promise<string> {
    const created = await activities(first).create(staff, communityId, { ...activityDto('Dumpling workshop', capacity), ...times });
    await activities(first).take(staff, communityId, created.id, 'publish');
    return created.id;
  }

  /** Registers the people one after another: the first `capacity` confirmed, the rest waiting in this order. */
  async function fill(activityId: string, people: Principal[]): Promise<Map<Principal, string>> {
    const ids = new Map<Principal, string>();
    for (const person of people) ids.set(person, (await registrations(first).register(person, communityId, activityId, {})).id);
    return ids;
  }

  /** Waits until every outbox is emptied and the test's consumers have taken every event, so counts are final. */
  async function drained(): Promise<void> {
    await eventually(async () => {
      for (const name of ['registrations', 'activities']) {
        if ((await db.collection(name).countDocuments({ 'outbox.0': { $exists: true } })) > 0) return false;
      }
      for (const { durable } of durables) {
        const info = await nats.jsm.consumers.info(DOMAIN_EVENTS_STREAM, durable);
        if (info.num_pending > 0 || info.num_ack_pending > 0) return false;
      }
      return true;
    });
  }

  /** Each registration event published once (one id each), and no two events of one kind for one registration. */
  function expectEachEventOnce(activityId: string): void {
    const ofActivity = published.filter((e) => e.data.activityId === activityId && 'registrationId' in e.data);
    expect(new Set(ofActivity.map((e) => e.id)).size).toBe(ofActivity.length);
    const kinds = ofActivity.map((e) => `${e.data.registrationId}:${e.type}`);
    expect(new Set(kinds).size).toBe(kinds.length);
  }

  beforeAll(async () => {
    first = await startServiceApp(ActivitiesAppModule.register(config), config);
    second = await startServiceApp(ActivitiesAppModule.register(config), config);
    apps = [first, second];
    nats = first.get(NatsConnection);
    db = await mongoose.createConnection(config.mongoUrl, { dbName: config.mongoDb }).asPromise();
    for (const { event, durable } of durables) {
      await first.get(DurableConsumers).start({
        durable,
        event: event as unknown as EventContract<Record<string, unknown>>,
        handle: async (e) => {
          if (e.communityId === communityId) published.push(e);
        },
      });
    }
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await db?.close();
  });

  it('confirms exactly 200 of 201 people registering at once for 200 places and puts the last one on the waiting list', async () => {
    const activityId = await openActivity(200);
    const people = Array.from({ length: 201 }, () => resident());
    const views = await Promise.all(people.map((p, n) => registrations(app(n)).register(p, communityId, activityId, {})));
    expect(views.filter((v) => v.status === RegistrationStatus.Confirmed)).toHaveLength(200);
    const waiting = views.filter((v) => v.status === RegistrationStatus.Waitlisted);
    expect(waiting).toHaveLength(1);
    expect(waiting[0].queuePosition).toBe(1);
    await drained();

    const activity = await activityDoc(activityId);
    const all = await registrationsOf(activityId);
    expect(activity.seatsLeft).toBe(0);
    const confirmed = all.filter((r) => r.status === RegistrationStatus.Confirmed);
    expect(confirmed).toHaveLength(200);
    expect((activity.seatHolders as Types.ObjectId[]).map(String).sort()).toEqual(confirmed.map((r) => String(r._id)).sort());
    expect(all.filter((r) => r.status === RegistrationStatus.Waitlisted)).toHaveLength(1);
    expect(all.every((r) => (r.outbox as unknown[]).length === 0)).toBe(true);
    for (const r of all) {
      expect(typesOf(String(r._id))).toEqual([
        r.status === RegistrationStatus.Confirmed ? ActivitiesEvents.registrationConfirmed.type : ActivitiesEvents.registrationWaitlisted.type,
      ]);
    }
    expectEachEventOnce(activityId);
  });

  it('hands out waiting-list positions without duplicates when many join a full activity at once', async () => {
    const activityId = await openActivity(1);
    await fill(activityId, [resident()]);
    const people = Array.from({ length: 40 }, () => resident());
    const views = await Promise.all(people.map((p, n) => registrations(app(n)).register(p, communityId, activityId, {})));
    expect(views.every((v) => v.status === RegistrationStatus.Waitlisted)).toBe(true);
    expect(views.map((v) => v.queuePosition).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 40 }, (_, n) => n + 1));
    await drained();
    const events = published.filter((e) => e.data.activityId === activityId && e.type === ActivitiesEvents.registrationWaitlisted.type);
    expect(events.map((e) => e.data.queuePosition).sort((a, b) => (a as number) - (b as number))).toEqual(
      Array.from({ length: 40 }, (_, n) => n + 1),
    );
    expectEachEventOnce(activityId);
  });

  it('promotes exactly the first in line when confirmed people cancel at once, and never lets places go below zero', async () => {
    const capacity = 5;
    const activityId = await openActivity(capacity);
    const people = Array.from({ length: 11 }, () => resident());
    const ids = await fill(activityId, people);
    const waiting = people.slice(capacity);
    let lowest = capacity;
    let racing = true;
    const watch = (async () => {
      while (racing) lowest = Math.min(lowest, (await activityDoc(activityId)).seatsLeft as number);
    })();
    // Three confirmed cancel, and the last in line leaves the waiting list, all at once from both instances.
    const leaving = [...people.slice(0, 3), waiting[5]];
    const outcomes = await Promise.all(leaving.map((p, n) => codeOf(registrations(app(n)).cancel(p, communityId, activityId, ids.get(p)!))));
    racing = false;
    await watch;
    expect(outcomes).toEqual([undefined, undefined, undefined, undefined]);
    await drained();

    expect(lowest).toBeGreaterThanOrEqual(0);
    const activity = await activityDoc(activityId);
    expect(activity.seatsLeft).toBe(0);
    const status = async (p: Principal) => (await db.collection('registrations').findOne({ _id: new Types.ObjectId(ids.get(p)) }))!;
    for (const p of waiting.slice(0, 3)) {
      expect(await status(p)).toMatchObject({ status: RegistrationStatus.Confirmed });
      expect(typesOf(ids.get(p)!)).toEqual([ActivitiesEvents.registrationWaitlisted.type, ActivitiesEvents.registrationPromoted.type]);
    }
    for (const p of waiting.slice(3, 5)) {
      expect(await status(p)).toMatchObject({ status: RegistrationStatus.Waitlisted });
      expect(typesOf(ids.get(p)!)).toEqual([ActivitiesEvents.registrationWaitlisted.type]);
    }
    for (const p of leaving) {
      expect(await status(p)).toMatchObject({ status: RegistrationStatus.Cancelled, seatReleased: true });
      expect(typesOf(ids.get(p)!).filter((t) => t === ActivitiesEvents.registrationCancelled.type)).toHaveLength(1);
    }
    const holders = (activity.seatHolders as Types.ObjectId[]).map(String).sort();
    expect(holders).toEqual([...people.slice(3, 5), ...waiting.slice(0, 3)].map((p) => ids.get(p)!).sort());
    expectEachEventOnce(activityId);
  });

  it('refuses to check in days before the activity starts and changes nothing', async () => {
    const activityId = await openActivity(3);
    const view = await registrations(first).register(resident(), communityId, activityId, {});
    expect(await codeOf(registrations(second).checkIn(staff, communityId, activityId, { code: view.checkInCode! }))).toBe(
      ErrorCode.OUTSIDE_WINDOW,
    );
    const stored = await db.collection('registrations').findOne({ _id: new Types.ObjectId(view.id) });
    expect(stored?.checkedInAt).toBeUndefined();
    await drained();
    expect(typesOf(view.id)).toEqual([ActivitiesEvents.registrationConfirmed.type]);
  });

  it('checks a registration in once when the door scans it twice at once, and refuses to cancel it after', async () => {
    const activityId = await openActivity(3, startingSoon());
    const person = resident();
    const view = await registrations(first).register(person, communityId, activityId, {});
    const outcomes = await Promise.all(
      [first, second, first].map((a) => codeOf(registrations(a).checkIn(staff, communityId, activityId, { code: view.checkInCode! }))),
    );
    expect(outcomes.filter((o) => o === undefined)).toHaveLength(1);
    expect(outcomes.filter((o) => o === ErrorCode.DUPLICATE)).toHaveLength(2);
    expect(await codeOf(registrations(second).cancel(person, communityId, activityId, view.id))).toBe(ErrorCode.INVALID_TRANSITION);
    await drained();
    expect(typesOf(view.id)).toEqual([ActivitiesEvents.registrationConfirmed.type, ActivitiesEvents.checkedIn.type]);
  });

  it('finishes registrations a stopped process left pending or cancelled with places held, once, from both instances', async () => {
    const activityId = await openActivity(2);
    const [stays, leaves, waits] = [resident(), resident(), resident()];
    const ids = await fill(activityId, [stays, leaves, waits]);
    const _id = (p: Principal) => new Types.ObjectId(ids.get(p));
    // Stopped after taking the places, before the registration was written confirmed.
    const pending = resident();
    const pendingId = new Types.ObjectId();
    await db.collection('registrations').insertOne({
      _id: pendingId,
      communityId: new Types.ObjectId(communityId),
      activityId: new Types.ObjectId(activityId),
      personId: new Types.ObjectId(pending.personId),
      personName: pending.name,
      members: [],
      headcount: 1,
      status: RegistrationStatus.Pending,
      holder: pending.personId,
      checkInCode: `code-${pendingId}`,
      registeredAt: new Date(),
      updatedAt: new Date(Date.now() - HOUR),
      outbox: [],
    });
    await db.collection('activities').updateOne({ _id: new Types.ObjectId(activityId) }, { $inc: { capacity: 1 }, $push: { seatHolders: pendingId } as never });
    // Stopped after the cancellation, before its places were given back.
    await db.collection('registrations').updateOne(
      { _id: _id(leaves) },
      { $set: { status: RegistrationStatus.Cancelled, holder: `cancelled:${ids.get(leaves)}`, seatReleased: false, updatedAt: new Date(Date.now() - HOUR) } },
    );
    await Promise.all(apps.map((a) => registrations(a).recoverUnsettled(new Date())));
    await drained();

    const activity = await activityDoc(activityId);
    expect(activity.seatsLeft).toBe(0);
    expect((activity.seatHolders as Types.ObjectId[]).map(String).sort()).toEqual([ids.get(stays)!, String(pendingId), ids.get(waits)!].sort());
    expect(await db.collection('registrations').findOne({ _id: pendingId })).toMatchObject({ status: RegistrationStatus.Confirmed });
    expect(await db.collection('registrations').findOne({ _id: _id(leaves) })).toMatchObject({ seatReleased: true });
    expect(await db.collection('registrations').findOne({ _id: _id(waits) })).toMatchObject({ status: RegistrationStatus.Confirmed });
    expect(typesOf(String(pendingId))).toEqual([ActivitiesEvents.registrationConfirmed.type]);
    expect(typesOf(ids.get(waits)!)).toEqual([ActivitiesEvents.registrationWaitlisted.type, ActivitiesEvents.registrationPromoted.type]);
    expectEachEventOnce(activityId);
  });

  it('publishes an activity once when it is published from both instances at once', async () => {
    const created = await activities(first).create(staff, communityId, activityDto('Dumpling workshop', 5));
    const outcomes = await Promise.all([first, second, first, second].map((a) => codeOf(activities(a).take(staff, communityId, created.id, 'publish'))));
    expect(outcomes.filter((o) => o === undefined)).toHaveLength(1);
    expect(outcomes.filter((o) => o === ErrorCode.INVALID_TRANSITION)).toHaveLength(3);
    await drained();
    expect(eventsOf('activityId', created.id).filter((e) => e.type === ActivitiesEvents.activityPublished.type)).toHaveLength(1);
    expect(await activityDoc(created.id)).toMatchObject({ status: 'published', outbox: [] });
  });
});
