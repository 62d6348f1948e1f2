import { INestApplication } from '@nestjs/common';
import {
  ActivitiesEvents,
  DOMAIN_EVENTS_STREAM,
  DomainException,
  ErrorCode,
  EventEnvelope,
  HoursSource,
  MembershipEvents,
  MembershipVolunteerEvents,
  Principal,
  Relation,
  Role,
  ServiceName,
  VolunteerHoursRecordedData,
  newEvent,
} from '@cg/contracts';
import { DurableConsumers, NatsConnection, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import mongoose, { Connection, Types } from 'mongoose';
import { MembershipAppModule } from '../src/app.module';
import { VolunteersService } from '../src/volunteers/volunteers.service';

const oid = () => new Types.ObjectId().toHexString();

describe('the hours ledger credits each source once and publishes each entry event once', () => {
  const id = runId();
  const config = testServiceConfig(ServiceName.Membership, id);
  const communityId = oid();
  const staff: Principal = { sub: 'staff', name: 'Staff', roles: [Role.CommunityStaff], communityIds: [communityId] };
  const meta = { communityId, actor: 'service:activities', correlationId: `corr-${id}` };
  const durable = `test-volunteer-hours-${id}`;
  const published: EventEnvelope<VolunteerHoursRecordedData>[] = [];
  let app: INestApplication;
  let volunteers: VolunteersService;
  let nats: NatsConnection;
  let db: Connection;

  const ofPerson = (personId: string) => published.filter((e) => e.data.personId === personId);

  /** Waits until the test's consumer has taken every published event, so counts are final. */
  async function drained(): Promise<void> {
    await eventually(async () => {
      const pending = await db.collection('volunteer_hours').countDocuments({ 'outbox.0': { $exists: true } });
      if (pending > 0) return false;
      const info = await nats.jsm.consumers.info(DOMAIN_EVENTS_STREAM, durable);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    }, 20_000);
  }

  function shift(personId: string, n: number, hours = '1.25') {
    return newEvent(
      ActivitiesEvents.shiftCompleted,
      {
        shiftId: `shift-${n}`,
        sourceId: 'stairwell-cleanup',
        personId,
        hours,
        completedAt: new Date(Date.UTC(2025, 5, 1, 8, n)).toISOString(),
      },
      meta,
    );
  }

  beforeAll(async () => {
    app = await startServiceApp(MembershipAppModule.register(config), config);
    volunteers = app.get(VolunteersService);
    nats = app.get(NatsConnection);
    db = await mongoose.createConnection(config.mongoUrl, { dbName: config.mongoDb }).asPromise();
    await app.get(DurableConsumers).start({
      durable,
      event: MembershipVolunteerEvents.hoursRecorded,
      handle: async (event) => {
        if (event.communityId === communityId) published.push(event);
      },
    });
  });

  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('places every entry of a person while their events are being published, and publishes each once', async () => {
    const personId = oid();
    const buildingId = oid();
    const gridId = oid();
    const shifts = Array.from({ length: 40 }, (_, n) => shift(personId, n));
    const registered = newEvent(
      MembershipEvents.residentRegistered,
      { personId, name: 'Qian Hua', unitId: oid(), buildingId, gridId, relation: Relation.Tenant },
      meta,
    );
    // Each entry's event is published as soon as the entry is stored; the placement runs while those publications
    // are under way.
    const stored = Promise.all(shifts.map((s) => volunteers.onShiftCompleted(s)));
    await Promise.all([
      stored,
      stored.then(() => volunteers.onResidentRegistered(registered)),
      stored.then(() => volunteers.onResidentRegistered(registered)),
    ]);
    await drained();

    const hours = await volunteers.hoursOf(staff, communityId, personId, { limit: 100 });
    expect(hours.items).toHaveLength(40);
    expect(hours.items.every((e) => e.buildingId === buildingId && e.gridId === gridId)).toBe(true);
    expect(hours.totalHours).toBe('50.00');
    const board = await volunteers.leaderboard(staff, communityId, { buildingId });
    expect(board.rows).toMatchObject([{ personId, hours: '50.00' }]);

    const events = ofPerson(personId);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events.map((e) => e.data.entryId).sort()).toEqual(hours.items.map((e) => e.id).sort());
    const first = events.find((e) => e.data.entryId === hours.items[0].id)!;
    expect(first).toMatchObject({
      type: MembershipVolunteerEvents.hoursRecorded.type,
      version: 1,
      communityId,
      actor: meta.actor,
      correlationId: meta.correlationId,
      data: {
        entryId: hours.items[0].id,
        personId,
        hours: '1.25',
        source: HoursSource.Shift,
        sourceId: hours.items[0].sourceId,
        description: hours.items[0].description,
        occurredAt: hours.items[0].occurredAt,
      },
    });
    expect(Object.keys(first.data).sort()).toEqual(
      ['description', 'entryId', 'hours', 'occurredAt', 'personId', 'source', 'sourceId'],
    );
  });

  it('credits a shift delivered 50 times at once exactly once, and publishes its event once', async () => {
    const personId = oid();
    const completed = shift(personId, 70, '2');

    await Promise.all(Array.from({ length: 50 }, () => volunteers.onShiftCompleted(completed)));
    await drained();

    const hours = await volunteers.hoursOf(staff, communityId, personId, {});
    expect(hours.items).toHaveLength(1);
    expect(hours.items[0]).toMatchObject({ sourceEventId: completed.id, hours: '2.00' });
    expect(hours.totalHours).toBe('2.00');
    const events = ofPerson(personId);
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ entryId: hours.items[0].id, hours: '2.00', source: HoursSource.Shift });
  });

  it('takes off no more hours than an entry has when 20 corrections of it arrive at once', async () => {
    const personId = oid();
    await volunteers.onShiftCompleted(shift(personId, 80, '3'));
    const [original] = (await volunteers.hoursOf(staff, communityId, personId, {})).items;

    const codes = await Promise.all(
      Array.from({ length: 20 }, () =>
        volunteers.correctHours(staff, communityId, original.id, { hours: '-1', reason: 'Left early' }).then(
          () => 'ok',
          (error: DomainException) => error.code,
        ),
      ),
    );
    await drained();

    expect(codes.filter((c) => c === 'ok')).toHaveLength(3);
    expect(codes.filter((c) => c === ErrorCode.VALIDATION_FAILED)).toHaveLength(17);
    const hours = await volunteers.hoursOf(staff, communityId, personId, {});
    expect(hours.totalHours).toBe('0.00');
    expect(hours.items).toHaveLength(4);
    const events = ofPerson(personId);
    expect(events).toHaveLength(4);
    expect(new Set(events.map((e) => e.data.entryId))).toEqual(new Set(hours.items.map((e) => e.id)));
  });

  it('publishes the event of an entry stored just before the process stopped, once', async () => {
    const personId = oid();
    const entryId = new Types.ObjectId();
    const occurredAt = new Date('2025-06-02T09:00:00Z');
    const event = newEvent(
      MembershipVolunteerEvents.hoursRecorded,
      { entryId: String(entryId), personId, hours: '1.50', source: HoursSource.Manual, occurredAt: occurredAt.toISOString() },
      { communityId, actor: 'staff', correlationId: `manual-${id}` },
    );
    // The state a stop right after the insert leaves: the entry stored with its event, not yet published.
    await db.collection('volunteer_hours').insertOne({
      _id: entryId,
      communityId: new Types.ObjectId(communityId),
      personId: new Types.ObjectId(personId),
      hoursHundredths: 150,
      source: HoursSource.Manual,
      sourceEventId: `manual:${entryId}`,
      occurredAt,
      recordedBy: 'staff',
      recordedAt: new Date(),
      outbox: [event],
    });

    const restarted = await startServiceApp(MembershipAppModule.register(config), config);
    try {
      await drained();
    } finally {
      await restarted.close();
    }
    expect(ofPerson(personId).map((e) => e.id)).toEqual([event.id]);
  });
});
