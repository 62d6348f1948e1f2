import { INestApplication } from '@nestjs/common';
import {
  ActivitiesEvents,
  CreateShiftDto,
  DOMAIN_EVENTS_STREAM,
  DomainException,
  ErrorCode,
  EventContract,
  EventEnvelope,
  Principal,
  Role,
  ServiceName,
  ShiftCompletedData,
  ShiftSourceKind,
  SignUpStatus,
} from '@cg/contracts';
import { DurableConsumers, NatsConnection, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import mongoose, { Connection, Types } from 'mongoose';
import { setTimeout as sleep } from 'node:timers/promises';
import { ActivitiesAppModule } from '../src/app.module';
import { ShiftsService } from '../src/volunteering/shifts.service';

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

describe('volunteer shifts: places taken by one conditional update, hours credited once', () => {
  const id = runId();
  const config = testServiceConfig(ServiceName.Activities, id);
  const communityId = oid();
  const organiser: Principal = { sub: 'organiser', name: 'Chen Jing', roles: [Role.CommunityStaff], communityIds: [communityId] };
  const durable = `test-shift-events-${id}`;
  const published: EventEnvelope<ShiftCompletedData>[] = [];
  let first: INestApplication;
  let second: INestApplication;
  let apps: INestApplication[];
  let nats: NatsConnection;
  let db: Connection;
  let residentCount = 0;

  const shifts = (n: number) => apps[n % 2].get(ShiftsService);

  function resident(): Principal {
    residentCount += 1;
    return { sub: `v${residentCount}`, personId: oid(), name: `Volunteer ${residentCount}`, roles: [Role.Resident], communityIds: [communityId] };
  }

  async function openShift(headcount: number, startsInMs = 24 * HOUR): Promise<string> {
    const startsAt = new Date(Date.now() + startsInMs);
    const dto: CreateShiftDto = {
      source: { kind: ShiftSourceKind.GridTask, id: `task-${oid()}`, title: 'Stairwell clean-up' },
      role: 'Sweeper',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 2.5 * HOUR).toISOString(),
      headcount,
    } as CreateShiftDto;
    return (await shifts(0).create(organiser, communityId, dto)).id;
  }

  async function drained(): Promise<void> {
    await eventually(async () => {
      if ((await db.collection('shift_sign_ups').countDocuments({ 'outbox.0': { $exists: true } })) > 0) return false;
      const info = await nats.jsm.consumers.info(DOMAIN_EVENTS_STREAM, durable);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });
  }

  beforeAll(async () => {
    first = await startServiceApp(ActivitiesAppModule.register(config), config);
    second = await startServiceApp(ActivitiesAppModule.register(config), config);
    apps = [first, second];
    nats = first.get(NatsConnection);
    db = await mongoose.createConnection(config.mongoUrl, { dbName: config.mongoDb }).asPromise();
    await first.get(DurableConsumers).start({
      durable,
      event: ActivitiesEvents.shiftCompleted as unknown as EventContract<ShiftCompletedData>,
      handle: async (e) => {
        if (e.communityId === communityId) published.push(e);
      },
    });
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await db?.close();
  });

  it('signs up exactly 20 of 30 volunteers at once for a 20-place shift and refuses the other 10', async () => {
    const shiftId = await openShift(20);
    const people = Array.from({ length: 30 }, () => resident());
    const outcomes = await Promise.all(people.map((p, n) => codeOf(shifts(n).signUp(p, communityId, shiftId))));
    expect(outcomes.filter((o) => o === undefined)).toHaveLength(20);
    expect(outcomes.filter((o) => o === ErrorCode.ALREADY_TAKEN)).toHaveLength(10);

    const shift = await db.collection('volunteer_shifts').findOne({ _id: new Types.ObjectId(shiftId) });
    const signUps = await db.collection('shift_sign_ups').find({ shiftId: new Types.ObjectId(shiftId) }).toArray();
    expect(signUps).toHaveLength(20);
    expect((shift!.volunteers as Types.ObjectId[]).map(String).sort()).toEqual(signUps.map((s) => String(s.personId)).sort());
    const winners = people.filter((_, n) => outcomes[n] === undefined).map((p) => p.personId).sort();
    expect(signUps.map((s) => String(s.personId)).sort()).toEqual(winners);
    const listed = await shifts(1).list(organiser, communityId, { sourceId: shift!.sourceId as string });
    expect(listed.items[0]).toMatchObject({ id: shiftId, headcount: 20, slotsLeft: 0 });
  });

  it('signs a person up once when they sign up five times at once', async () => {
    const shiftId = await openShift(3);
    const person = resident();
    const outcomes = await Promise.all([0, 1, 2, 3, 4].map((n) => codeOf(shifts(n).signUp(person, communityId, shiftId))));
    expect(outcomes.filter((o) => o === undefined)).toHaveLength(1);
    expect(outcomes.filter((o) => o === ErrorCode.DUPLICATE)).toHaveLength(4);
    const shift = await db.collection('volunteer_shifts').findOne({ _id: new Types.ObjectId(shiftId) });
    expect((shift!.volunteers as Types.ObjectId[]).map(String)).toEqual([person.personId]);
    expect(await db.collection('shift_sign_ups').countDocuments({ shiftId: new Types.ObjectId(shiftId) })).toBe(1);
  });

  it('writes the sign-up of a person who holds a place without one, as after a stop between the two writes', async () => {
    const shiftId = await openShift(1);
    const person = resident();
    await db.collection('volunteer_shifts').updateOne({ _id: new Types.ObjectId(shiftId) }, { $push: { volunteers: new Types.ObjectId(person.personId) } as never });
    expect(await codeOf(shifts(0).signUp(resident(), communityId, shiftId))).toBe(ErrorCode.ALREADY_TAKEN);
    const view = await shifts(1).signUp(person, communityId, shiftId);
    expect(view).toMatchObject({ personId: person.personId, status: SignUpStatus.SignedUp });
  });

  it('refuses to complete a shift before it starts and changes nothing', async () => {
    const shiftId = await openShift(1);
    const person = resident();
    const signUp = await shifts(0).signUp(person, communityId, shiftId);
    await shifts(1).confirm(organiser, communityId, shiftId, signUp.id);
    expect(await codeOf(shifts(0).complete(organiser, communityId, shiftId, signUp.id, {}))).toBe(ErrorCode.OUTSIDE_WINDOW);
    const stored = await db.collection('shift_sign_ups').findOne({ _id: new Types.ObjectId(signUp.id) });
    expect(stored).toMatchObject({ status: SignUpStatus.Confirmed, outbox: [] });
    expect(stored?.completedAt).toBeUndefined();
  });

  it('credits the hours of a shift once when two organisers complete it at once', async () => {
    const startsAt = Date.now() + 1500;
    const shiftId = await openShift(2, startsAt - Date.now());
    const person = resident();
    const signUp = await shifts(0).signUp(person, communityId, shiftId);
    await shifts(1).confirm(organiser, communityId, shiftId, signUp.id);
    await sleep(startsAt - Date.now() + 10);
    const outcomes = await Promise.all(
      [0, 1, 0, 1].map((n) => codeOf(shifts(n).complete(organiser, communityId, shiftId, signUp.id, { hours: '2.5' }))),
    );
    expect(outcomes.filter((o) => o === undefined)).toHaveLength(1);
    expect(outcomes.filter((o) => o === ErrorCode.INVALID_TRANSITION)).toHaveLength(3);
    await drained();
    const events = published.filter((e) => e.data.signUpId === signUp.id);
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ shiftId, personId: person.personId, hours: '2.50' });
    expect(await db.collection('shift_sign_ups').findOne({ _id: new Types.ObjectId(signUp.id) })).toMatchObject({
      status: SignUpStatus.Completed,
      hoursHundredths: 250,
      outbox: [],
    });
  });
});
