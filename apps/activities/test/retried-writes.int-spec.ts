import { INestApplication } from '@nestjs/common';
import {
  CreateShiftDto,
  Principal,
  RegistrationStatus,
  Role,
  ServiceName,
  ShiftSourceKind,
} from '@cg/contracts';
import { startServiceApp } from '@cg/messaging';
import { runInScope } from '@cg/observability';
import { runId, testServiceConfig } from '@cg/testing';
import mongoose, { Connection, Types } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { ActivitiesService } from '../src/activities/activities.service';
import { RegistrationsService } from '../src/activities/registrations.service';
import { ActivitiesAppModule } from '../src/app.module';
import { ShiftsService } from '../src/volunteering/shifts.service';
import { activityDto } from './activity-dto';

const oid = () => new Types.ObjectId().toHexString();
const HOUR = 3600_000;

/** A write key as the gateway makes it from an Idempotency-Key: when it was first seen, and the request's digest. */
const writeKey = () => `${Math.floor(Date.now() / 1000)}.${randomBytes(32).toString('hex')}`;

describe('creates retried with the same write key store one document and answer it each time', () => {
  const id = runId();
  const config = testServiceConfig(ServiceName.Activities, id);
  const communityId = oid();
  const staff: Principal = { sub: 'staff', name: 'Chen Jing', roles: [Role.CommunityStaff], communityIds: [communityId] };
  let first: INestApplication;
  let second: INestApplication;
  let db: Connection;
  let residentCount = 0;

  /** Runs `fn` as the RPC server does for a call of `principal`, with the write key the gateway passed on. */
  const inWrite = <T>(key: string | undefined, principal: Principal, fn: () => Promise<T>) =>
    runInScope({ correlationId: `c-${id}`, principal, ...(key && { writeKey: key }) }, fn);

  function resident(): Principal {
    residentCount += 1;
    return { sub: `r${residentCount}`, personId: oid(), name: `Resident ${residentCount}`, roles: [Role.Resident], communityIds: [communityId] };
  }

  async function openActivity(capacity: number): Promise<string> {
    const created = await first.get(ActivitiesService).create(staff, communityId, activityDto('Tea with the elders', capacity));
    await first.get(ActivitiesService).take(staff, communityId, created.id, 'publish');
    return created.id;
  }

  const activityDoc = async (activityId: string) =>
    (await db.collection('activities').findOne({ _id: new Types.ObjectId(activityId) }))!;

  beforeAll(async () => {
    first = await startServiceApp(ActivitiesAppModule.register(config), config);
    second = await startServiceApp(ActivitiesAppModule.register(config), config);
    db = await mongoose.createConnection(config.mongoUrl, { dbName: config.mongoDb }).asPromise();
  });

  afterAll(async () => {
    await db?.close();
    await first?.close();
    await second?.close();
  });

  it('creates an activity once when the create is retried, on either instance, and twice without a write key', async () => {
    const key = writeKey();
    const dto = activityDto(`Retried ${id}`, 10);
    const [a, b] = [
      await inWrite(key, staff, () => first.get(ActivitiesService).create(staff, communityId, dto)),
      await inWrite(key, staff, () => second.get(ActivitiesService).create(staff, communityId, dto)),
    ];
    expect(b.id).toBe(a.id);
    expect(b).toEqual(a);
    expect(await db.collection('activities').countDocuments({ title: dto.title })).toBe(1);

    const plain = { ...dto, title: `Plain ${id}` };
    const [c, d] = [
      await inWrite(undefined, staff, () => first.get(ActivitiesService).create(staff, communityId, plain)),
      await inWrite(undefined, staff, () => first.get(ActivitiesService).create(staff, communityId, plain)),
    ];
    expect(d.id).not.toBe(c.id);
    expect(await db.collection('activities').countDocuments({ title: plain.title })).toBe(2);
  });

  it('registers once when a registration is retried: its places are taken once, its queue position given once', async () => {
    const activityId = await openActivity(1);
    const [holder, waiting] = [resident(), resident()];
    const register = (app: INestApplication, key: string, person: Principal) =>
      inWrite(key, person, () => app.get(RegistrationsService).register(person, communityId, activityId, {}));

    const holderKey = writeKey();
    const confirmed = await register(first, holderKey, holder);
    const again = await register(second, holderKey, holder);
    expect(confirmed.status).toBe(RegistrationStatus.Confirmed);
    expect(again.id).toBe(confirmed.id);
    expect(again.status).toBe(RegistrationStatus.Confirmed);
    expect((await activityDoc(activityId)).seatsLeft).toBe(0);

    const waitingKey = writeKey();
    const queued = await register(first, waitingKey, waiting);
    const queuedAgain = await register(second, waitingKey, waiting);
    expect(queued).toMatchObject({ status: RegistrationStatus.Waitlisted, queuePosition: 1 });
    expect(queuedAgain).toMatchObject({ id: queued.id, status: RegistrationStatus.Waitlisted, queuePosition: 1 });
    expect((await activityDoc(activityId)).waitingSeq).toBe(1);
    expect(await db.collection('registrations').countDocuments({ activityId: new Types.ObjectId(activityId) })).toBe(2);
  });

  it('answers a registration cancelled since as cancelled when it is retried, and takes no places for it', async () => {
    const activityId = await openActivity(1);
    const person = resident();
    const key = writeKey();
    const register = () => inWrite(key, person, () => first.get(RegistrationsService).register(person, communityId, activityId, {}));
    const registered = await register();
    await first.get(RegistrationsService).cancel(person, communityId, activityId, registered.id);
    const retried = await register();
    expect(retried).toMatchObject({ id: registered.id, status: RegistrationStatus.Cancelled });
    expect(await activityDoc(activityId)).toMatchObject({ seatsLeft: 1, seatHolders: [] });
    expect(await db.collection('registrations').countDocuments({ activityId: new Types.ObjectId(activityId) })).toBe(1);
  });

  it('creates a shift and signs a volunteer up once when each is retried', async () => {
    const startsAt = new Date(Date.now() + 24 * HOUR);
    const dto = {
      source: { kind: ShiftSourceKind.GridTask, id: `task-${oid()}`, title: 'Stairwell clean-up' },
      role: 'Sweeper',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 2 * HOUR).toISOString(),
      headcount: 3,
    } as CreateShiftDto;
    const shiftKey = writeKey();
    const shift = await inWrite(shiftKey, staff, () => first.get(ShiftsService).create(staff, communityId, dto));
    const shiftAgain = await inWrite(shiftKey, staff, () => second.get(ShiftsService).create(staff, communityId, dto));
    expect(shiftAgain).toEqual(shift);
    expect(await db.collection('volunteer_shifts').countDocuments({ sourceId: dto.source.id })).toBe(1);

    const volunteer = resident();
    const signUpKey = writeKey();
    const signUp = () => first.get(ShiftsService).signUp(volunteer, communityId, shift.id);
    const signedUp = await inWrite(signUpKey, volunteer, signUp);
    const signedUpAgain = await inWrite(signUpKey, volunteer, signUp);
    expect(signedUpAgain).toEqual(signedUp);
    expect(await db.collection('shift_sign_ups').countDocuments({ shiftId: new Types.ObjectId(shift.id) })).toBe(1);
    const stored = await db.collection('volunteer_shifts').findOne({ _id: new Types.ObjectId(shift.id) });
    expect(stored!.volunteers).toHaveLength(1);
  });
});
