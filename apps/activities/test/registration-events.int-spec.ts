import { INestApplication } from '@nestjs/common';
import {
  ActivitiesEvents,
  ActivityType,
  AudienceScope,
  CreateActivityDto,
  DOMAIN_EVENTS_STREAM,
  DomainException,
  ErrorCode,
  EventContract,
  EventEnvelope,
  HouseholdRelation,
  OrganiserKind,
  Principal,
  RegistrationStatus,
  Role,
  ServiceName,
  newEvent,
} from '@cg/contracts';
import { DurableConsumers, NatsConnection, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import mongoose, { Connection, Types } from 'mongoose';
import { ActivitiesRepository } from '../src/activities/activities.repository';
import { ActivitiesService } from '../src/activities/activities.service';
import { RegistrationsRepository } from '../src/activities/registrations.repository';
import { RegistrationsService } from '../src/activities/registrations.service';
import { ActivitiesAppModule } from '../src/app.module';

const oid = () => new Types.ObjectId().toHexString();
const HOUR = 3600_000;

/** Everything written so far, for the completion pass of a test (the periodic one reads only recent changes). */
const everything = () => ({ since: new Date(0), before: new Date(Date.now() + 60_000) });

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

describe('registration and activity events are published from insert-only change records, each once', () => {
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
  const eventsOf = (key: string, value: string) => published.filter((e) => e.data[key] === value);
  const typesOf = (registrationId: string) => eventsOf('registrationId', registrationId).map((e) => e.type);

  function resident(): Principal {
    residentCount += 1;
    return { sub: `r${residentCount}`, personId: oid(), name: `Resident ${residentCount}`, roles: [Role.Resident], communityIds: [communityId] };
  }

  async function openActivity(capacity: number): Promise<string> {
    const now = Date.now();
    const dto: CreateActivityDto = {
      title: 'Dumpling workshop',
      type: ActivityType.Culture,
      organiser: { kind: OrganiserKind.Body, name: "Residents' committee" },
      place: 'Community hall',
      startsAt: new Date(now + 48 * HOUR).toISOString(),
      endsAt: new Date(now + 50 * HOUR).toISOString(),
      audience: { scope: AudienceScope.Community },
      capacity,
      registrationOpensAt: new Date(now - HOUR).toISOString(),
      registrationClosesAt: new Date(now + 24 * HOUR).toISOString(),
      familyMembersAllowed: true,
    } as CreateActivityDto;
    const created = await activities(first).create(staff, communityId, dto);
    await activities(first).take(staff, communityId, created.id, 'publish');
    return created.id;
  }

  const party = (size: number) => ({
    members: Array.from({ length: size - 1 }, (_, n) => ({ name: `Member ${n}`, relation: HouseholdRelation.Child })),
  });

  /** Waits until every change record is emptied and the test's consumers have taken every event, so counts are final. */
  async function drained(): Promise<void> {
    await Promise.all(apps.flatMap((app) => [registrations(app).flushOutbox(), activities(app).flushOutbox()]));
    await eventually(async () => {
      for (const name of ['registration_changes', 'activity_changes']) {
        if ((await db.collection(name).countDocuments({ 'outbox.0': { $exists: true } })) > 0) return false;
      }
      for (const { durable } of durables) {
        const info = await nats.jsm.consumers.info(DOMAIN_EVENTS_STREAM, durable);
        if (info.num_pending > 0 || info.num_ack_pending > 0) return false;
      }
      return true;
    });
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

  it('keeps places, promotions and events exact while many cancel and register on a full activity at once', async () => {
    const capacity = 6;
    const activityId = await openActivity(capacity);
    const people = Array.from({ length: 18 }, () => resident());
    const ids = new Map<Principal, string>();
    // Six single places taken, then a waiting list of five (one party of two).
    for (const [n, person] of people.slice(0, 11).entries()) {
      const view = await registrations(first).register(person, communityId, activityId, n === 8 ? party(2) : {});
      expect(view.status).toBe(n < capacity ? RegistrationStatus.Confirmed : RegistrationStatus.Waitlisted);
      ids.set(person, view.id);
    }
    const app = (n: number) => apps[n % 2];
    // Four confirmed and one waiting cancel, seven newcomers register (two as parties), one is checked in, and
    // both instances drain their outbox, all at once.
    const outcomes = await Promise.all([
      ...people.slice(0, 4).map((p, n) => codeOf(registrations(app(n)).cancel(p, communityId, activityId, ids.get(p)!))),
      codeOf(registrations(app(1)).cancel(people[7], communityId, activityId, ids.get(people[7])!)),
      ...people.slice(11).map((p, n) =>
        codeOf(registrations(app(n)).register(p, communityId, activityId, n % 3 === 0 ? party(2) : {}).then((v) => void ids.set(p, v.id))),
      ),
      codeOf(registrations(app(0)).checkIn(staff, communityId, activityId, { registrationId: ids.get(people[4])! })),
      ...apps.flatMap((a) => [codeOf(registrations(a).flushOutbox()), codeOf(registrations(a).flushOutbox())]),
    ]);
    expect(outcomes.filter(Boolean)).toEqual([]);
    await drained();

    const activity = await db.collection('activities').findOne({ _id: new Types.ObjectId(activityId) });
    const all = await db.collection('registrations').find({ activityId: new Types.ObjectId(activityId) }).toArray();
    expect(all).toHaveLength(18);
    const confirmed = all.filter((r) => r.status === RegistrationStatus.Confirmed);
    const held = confirmed.reduce((sum, r) => sum + (r.headcount as number), 0);
    expect(activity!.seatsLeft).toBeGreaterThanOrEqual(0);
    expect(activity!.seatsLeft).toBeLessThanOrEqual(capacity);
    expect(activity!.seatsLeft).toBe(capacity - held);
    expect((activity!.seatHolders as Types.ObjectId[]).map(String).sort()).toEqual(confirmed.map((r) => String(r._id)).sort());
    // Nobody still waiting would fit in the places left: every promotion due happened.
    for (const waiting of all.filter((r) => r.status === RegistrationStatus.Waitlisted)) {
      expect(waiting.headcount).toBeGreaterThan(activity!.seatsLeft);
    }
    expect(all.filter((r) => r.status === RegistrationStatus.Cancelled)).toHaveLength(5);
    expect(all.every((r) => !('outbox' in r))).toBe(true);

    // Each event id published once, and exactly one event for each change a registration went through.
    const ofActivity = published.filter((e) => e.data.activityId === activityId && 'registrationId' in e.data);
    expect(new Set(ofActivity.map((e) => e.id)).size).toBe(ofActivity.length);
    const changes = await db.collection('registration_changes').find({ version: { $exists: true } }).toArray();
    for (const r of all) {
      const types = typesOf(String(r._id));
      const count = (contract: EventContract<unknown>) => types.filter((t) => t === contract.type).length;
      expect(types).toHaveLength(r.version as number);
      expect(changes.filter((c) => String(c.aggregateId) === String(r._id))).toHaveLength(r.version as number);
      expect(count(ActivitiesEvents.registrationConfirmed) + count(ActivitiesEvents.registrationWaitlisted)).toBe(1);
      expect(count(ActivitiesEvents.registrationPromoted)).toBeLessThanOrEqual(count(ActivitiesEvents.registrationWaitlisted));
      expect(count(ActivitiesEvents.registrationCancelled)).toBe(r.status === RegistrationStatus.Cancelled ? 1 : 0);
      expect(count(ActivitiesEvents.checkedIn)).toBe(r.checkedInAt ? 1 : 0);
      const wasPromoted = count(ActivitiesEvents.registrationPromoted) === 1;
      if (r.status === RegistrationStatus.Waitlisted) expect(types).toEqual([ActivitiesEvents.registrationWaitlisted.type]);
      // Every promoted registration not cancelled afterwards ends confirmed.
      if (wasPromoted && r.status !== RegistrationStatus.Cancelled) expect(r.status).toBe(RegistrationStatus.Confirmed);
      if (r.status === RegistrationStatus.Confirmed) {
        expect(count(ActivitiesEvents.registrationConfirmed) + count(ActivitiesEvents.registrationPromoted)).toBe(1);
      }
    }
    expect(published.filter((e) => e.type === ActivitiesEvents.registrationPromoted.type && e.data.activityId === activityId).length).toBeGreaterThan(0);
  });

  it('finishes a change whose writer stopped after claiming it, and publishes its event once', async () => {
    const activityId = await openActivity(2);
    const person = resident();
    const view = await registrations(first).register(person, communityId, activityId, {});
    expect(view.status).toBe(RegistrationStatus.Confirmed);
    const _id = new Types.ObjectId(view.id);
    // What a stop between the claim (the change record, with its event) and the registration's write leaves.
    await db.collection('registrations').updateOne({ _id }, { $set: { status: RegistrationStatus.Pending, version: 0 } });
    const caughtUp = await Promise.all(apps.map((app) => registrations(app).completeChanges(everything())));
    expect(caughtUp.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect(await db.collection('registrations').findOne({ _id })).toMatchObject({ status: RegistrationStatus.Confirmed, version: 1 });

    // A lost check-in write is finished by the next writer of the registration, before it decides.
    await registrations(second).checkIn(staff, communityId, activityId, { registrationId: view.id });
    await db.collection('registrations').updateOne({ _id }, { $unset: { checkedInAt: '' }, $set: { version: 1 } });
    expect(await codeOf(registrations(first).cancel(person, communityId, activityId, view.id))).toBe(ErrorCode.INVALID_TRANSITION);
    const stored = await db.collection('registrations').findOne({ _id });
    expect(stored).toMatchObject({ status: RegistrationStatus.Confirmed, version: 2 });
    expect(stored!.checkedInAt).toBeInstanceOf(Date);

    await drained();
    expect(typesOf(view.id).sort()).toEqual([ActivitiesEvents.checkedIn.type, ActivitiesEvents.registrationConfirmed.type].sort());
    expect(new Set(eventsOf('registrationId', view.id).map((e) => e.id)).size).toBe(2);
  });

  it('settles a registration whose writer stopped before claiming anything, with one event', async () => {
    const activityId = await openActivity(3);
    const person = resident();
    const _id = new Types.ObjectId();
    // A stop after the places were taken but before the settlement was claimed: pending, places held, no record.
    await first.get(RegistrationsRepository).insert({
      _id,
      communityId: new Types.ObjectId(communityId),
      activityId: new Types.ObjectId(activityId),
      personId: new Types.ObjectId(person.personId),
      personName: person.name,
      members: [],
      headcount: 1,
      status: RegistrationStatus.Pending,
      holder: person.personId!,
      checkInCode: `code-${_id}`,
      registeredAt: new Date(Date.now() - 60_000),
      version: 0,
    });
    expect(await first.get(ActivitiesRepository).takeSeats(new Types.ObjectId(activityId), _id, 1)).toBe(true);

    await Promise.all([...apps, ...apps].map((app) => registrations(app).recoverUnsettled(new Date())));
    await drained();
    expect(await db.collection('registrations').findOne({ _id })).toMatchObject({ status: RegistrationStatus.Confirmed, version: 1 });
    expect((await db.collection('activities').findOne({ _id: new Types.ObjectId(activityId) }))!.seatsLeft).toBe(2);
    expect(typesOf(String(_id))).toEqual([ActivitiesEvents.registrationConfirmed.type]);
  });

  it('publishes once the events an older registration still holds in its own outbox, and moves it on as usual', async () => {
    const activityId = await openActivity(2);
    const person = resident();
    const _id = new Types.ObjectId();
    const pending = newEvent(
      ActivitiesEvents.registrationConfirmed,
      { registrationId: String(_id), activityId, personId: person.personId!, headcount: 1 },
      { communityId, actor: person.sub, correlationId: `c-${id}` },
    );
    // Written before the change journal: no version, the event still in the embedded outbox.
    await db.collection('registrations').insertOne({
      _id,
      communityId: new Types.ObjectId(communityId),
      activityId: new Types.ObjectId(activityId),
      personId: new Types.ObjectId(person.personId),
      personName: person.name,
      members: [],
      headcount: 1,
      status: RegistrationStatus.Confirmed,
      holder: person.personId!,
      checkInCode: `code-${_id}`,
      registeredAt: new Date(),
      outbox: [pending],
    });
    await first.get(ActivitiesRepository).takeSeats(new Types.ObjectId(activityId), _id, 1);

    await Promise.all([...apps, first].map((app) => registrations(app).handOverOutboxes()));
    await drained();
    await registrations(second).handOverOutboxes();
    await drained();
    expect(published.filter((e) => e.id === pending.id)).toHaveLength(1);

    const cancelled = await registrations(second).cancel(person, communityId, activityId, String(_id));
    expect(cancelled.status).toBe(RegistrationStatus.Cancelled);
    await drained();
    expect(await db.collection('registrations').findOne({ _id })).toMatchObject({ version: 1, seatReleased: true });
    expect((await db.collection('activities').findOne({ _id: new Types.ObjectId(activityId) }))!.seatsLeft).toBe(2);
    expect(typesOf(String(_id))).toEqual([ActivitiesEvents.registrationConfirmed.type, ActivitiesEvents.registrationCancelled.type]);
  });

  it('publishes an activity once when it is published from both instances at once', async () => {
    const created = await activities(first).create(staff, communityId, {
      title: 'Chess afternoon',
      type: ActivityType.Culture,
      organiser: { kind: OrganiserKind.Body, name: "Residents' committee" },
      place: 'Library',
      startsAt: new Date(Date.now() + 48 * HOUR).toISOString(),
      endsAt: new Date(Date.now() + 50 * HOUR).toISOString(),
      audience: { scope: AudienceScope.Community },
      capacity: 5,
      registrationOpensAt: new Date(Date.now() - HOUR).toISOString(),
      registrationClosesAt: new Date(Date.now() + 24 * HOUR).toISOString(),
      familyMembersAllowed: false,
    } as CreateActivityDto);
    const outcomes = await Promise.all([first, second, first, second].map((app) => codeOf(activities(app).take(staff, communityId, created.id, 'publish'))));
    expect(outcomes.filter((o) => o === undefined)).toHaveLength(1);
    expect(outcomes.filter((o) => o === ErrorCode.INVALID_TRANSITION)).toHaveLength(3);
    await drained();
    expect(eventsOf('activityId', created.id).filter((e) => e.type === ActivitiesEvents.activityPublished.type)).toHaveLength(1);
  });

  it('finishes a publication whose write was lost before the activity moves on, with one event', async () => {
    const activityId = await openActivity(4);
    const _id = new Types.ObjectId(activityId);
    // What a stop between the claim of the publication and the activity's write leaves.
    await db.collection('activities').updateOne({ _id }, { $set: { status: 'draft', version: 0 }, $unset: { publishedAt: '' } });
    const cancelled = await activities(second).take(staff, communityId, activityId, 'cancel');
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.publishedAt).toBeDefined();
    expect(await db.collection('activities').findOne({ _id })).toMatchObject({ version: 2 });
    await drained();
    expect(eventsOf('activityId', activityId).filter((e) => e.type === ActivitiesEvents.activityPublished.type)).toHaveLength(1);

    // The completion pass does the same without a next writer.
    const other = await openActivity(4);
    await db.collection('activities').updateOne({ _id: new Types.ObjectId(other) }, { $set: { status: 'draft', version: 0 } });
    await Promise.all(apps.map((app) => activities(app).completeChanges(everything())));
    expect(await db.collection('activities').findOne({ _id: new Types.ObjectId(other) })).toMatchObject({ status: 'published', version: 1 });
    await drained();
    expect(eventsOf('activityId', other).filter((e) => e.type === ActivitiesEvents.activityPublished.type)).toHaveLength(1);
  });

  it('publishes once the event an older activity still holds in its own outbox', async () => {
    const _id = new Types.ObjectId();
    const pending = newEvent(
      ActivitiesEvents.activityPublished,
      { activityId: String(_id), title: 'Old', type: ActivityType.Culture, startsAt: new Date().toISOString(), endsAt: new Date().toISOString(), capacity: 3 },
      { communityId, actor: 'staff', correlationId: `c-${id}` },
    );
    await db.collection('activities').insertOne({ _id, communityId: new Types.ObjectId(communityId), status: 'published', seatsLeft: 3, seatHolders: [], outbox: [pending] });
    await Promise.all([...apps, second].map((app) => activities(app).handOverOutboxes()));
    await drained();
    await activities(first).handOverOutboxes();
    await drained();
    expect(published.filter((e) => e.id === pending.id)).toHaveLength(1);
  });
});
