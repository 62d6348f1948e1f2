import { INestApplication } from '@nestjs/common';
import {
  ActivitiesEvents,
  DOMAIN_EVENTS_STREAM,
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

describe('the hours ledger publishes each entry event once, from records of their own', () => {
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
    await volunteers.flushOutbox();
    await eventually(async () => {
      const pending = await db.collection('volunteer_hours_events').countDocuments({ 'outbox.0': { $exists: true } });
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
    // Each entry's event is handed to the relay as soon as the entry is stored; the placement and a sweep of the
    // relay run while those publications are under way.
    const stored = Promise.all(shifts.map((s) => volunteers.onShiftCompleted(s)));
    await Promise.all([
      stored,
      stored.then(() => volunteers.onResidentRegistered(registered)),
      stored.then(() => volunteers.flushOutbox()),
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

  it('publishes the event of an entry whose event record was never written, once the source event comes again', async () => {
    const personId = oid();
    const again = shift(personId, 90, '2');
    await volunteers.onShiftCompleted(again);
    const [entry] = (await volunteers.hoursOf(staff, communityId, personId, {})).items;
    await drained();
    // The state a process stopping between the two inserts leaves: the entry stored, its event record not.
    await db.collection('volunteer_hours_events').deleteOne({ _id: new Types.ObjectId(entry.id) });
    const before = ofPerson(personId).length;

    await Promise.all([volunteers.onShiftCompleted(again), volunteers.onShiftCompleted(again)]);
    await drained();

    const hours = await volunteers.hoursOf(staff, communityId, personId, {});
    expect(hours.items.map((e) => e.id)).toEqual([entry.id]);
    expect(hours.totalHours).toBe('2.00');
    expect(before).toBe(1);
    const events = ofPerson(personId);
    expect(events).toHaveLength(2);
    expect(events[1].data).toMatchObject({ entryId: entry.id, hours: '2.00', source: HoursSource.Shift });
  });

  it('writes the missing event record of a staff entry and hands over the outbox of an entry stored with one', async () => {
    const manualPerson = oid();
    const olderPerson = oid();
    const publishedPerson = oid();
    const community = new Types.ObjectId(communityId);
    const occurredAt = new Date('2025-06-02T09:00:00Z');
    const base = {
      communityId: community,
      occurredAt,
      recordedBy: 'staff',
      recordedAt: new Date(),
    };
    // A staff entry stored just before the process stopped: no event record.
    const manual = new Types.ObjectId();
    // Entries stored with an embedded outbox: one event still pending, one already published.
    const older = new Types.ObjectId();
    const olderEvent = newEvent(
      MembershipVolunteerEvents.hoursRecorded,
      {
        entryId: String(older),
        personId: olderPerson,
        hours: '0.75',
        source: HoursSource.Manual,
        occurredAt: occurredAt.toISOString(),
      },
      { communityId, actor: 'staff', correlationId: `older-${id}` },
    );
    const alreadyPublished = new Types.ObjectId();
    await db.collection('volunteer_hours').insertMany([
      {
        ...base,
        _id: manual,
        personId: new Types.ObjectId(manualPerson),
        hoursHundredths: 150,
        source: HoursSource.Manual,
        sourceEventId: `manual:${manual}`,
        description: 'Flyers',
        correlationId: `manual-${id}`,
      },
      {
        ...base,
        _id: older,
        personId: new Types.ObjectId(olderPerson),
        hoursHundredths: 75,
        source: HoursSource.Manual,
        sourceEventId: `manual:${older}`,
        outbox: [olderEvent],
      },
      {
        ...base,
        _id: alreadyPublished,
        personId: new Types.ObjectId(publishedPerson),
        hoursHundredths: 100,
        source: HoursSource.Manual,
        sourceEventId: `manual:${alreadyPublished}`,
        outbox: [],
      },
    ]);

    const [written, none] = await Promise.all([volunteers.repairLedgerEvents(0), volunteers.repairLedgerEvents(0)]);
    expect(written + none).toBe(3);
    expect(await volunteers.repairLedgerEvents(0)).toBe(0);
    await drained();

    expect(ofPerson(manualPerson)).toEqual([
      expect.objectContaining({
        communityId,
        actor: 'staff',
        correlationId: `manual-${id}`,
        data: {
          entryId: String(manual),
          personId: manualPerson,
          hours: '1.50',
          source: HoursSource.Manual,
          description: 'Flyers',
          occurredAt: occurredAt.toISOString(),
        },
      }),
    ]);
    expect(ofPerson(olderPerson).map((e) => e.id)).toEqual([olderEvent.id]);
    expect(ofPerson(publishedPerson)).toEqual([]);
  });
});
