import { INestApplication } from '@nestjs/common';
import {
  ActivitiesEvents,
  ErrorCode,
  GridEvents,
  Headers,
  MembershipEvents,
  Principal,
  Relation,
  Role,
  ServiceName,
  newEvent,
} from '@cg/contracts';
import { NatsConnection, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import { Types } from 'mongoose';
import { JSONCodec, headers } from 'nats';
import { MembershipAppModule } from '../src/app.module';
import { VolunteersService } from '../src/volunteers/volunteers.service';

const codec = JSONCodec();

describe('the volunteer hours ledger fed by events', () => {
  const id = runId();
  const config = testServiceConfig(ServiceName.Membership, id);
  const communityId = String(new Types.ObjectId());
  const staff: Principal = {
    sub: 'staff',
    name: 'Staff',
    roles: [Role.CommunityStaff],
    communityIds: [communityId],
  };
  const meta = { communityId, actor: 'service:activities', correlationId: `corr-${id}` };
  let app: INestApplication;
  let volunteers: VolunteersService;
  let nats: NatsConnection;

  /** Publishes an envelope with a message id of its own, so JetStream's de-duplication does not hide a repeat. */
  async function deliver(envelope: { type: string; id: string }, msgID: string): Promise<void> {
    const h = headers();
    h.set(Headers.correlationId, meta.correlationId);
    await nats.js.publish(envelope.type, codec.encode(envelope), { msgID, headers: h });
  }

  beforeAll(async () => {
    app = await startServiceApp(MembershipAppModule.register(config), config);
    volunteers = app.get(VolunteersService);
    nats = app.get(NatsConnection);
  });

  afterAll(async () => {
    await app.close();
  });

  it('counts a shift delivered twice under different message ids once', async () => {
    const personId = String(new Types.ObjectId());
    const shift = newEvent(
      ActivitiesEvents.shiftCompleted,
      {
        shiftId: 'shift-1',
        sourceId: 'lawn-festival',
        personId,
        hours: '2.5',
        completedAt: '2025-05-01T10:00:00Z',
      },
      meta,
    );
    await deliver(shift, `${shift.id}-first`);
    await deliver(shift, `${shift.id}-again`);
    await eventually(
      async () => (await volunteers.hoursOf(staff, communityId, personId, {})).items.length > 0,
    );
    const info = await eventually(async () => {
      const c = await nats.jsm.consumers.info('DOMAIN_EVENTS', 'membership-volunteer-shifts');
      return c.num_ack_pending === 0 && c.num_pending === 0 && c.delivered.stream_seq > 0 && c;
    });
    expect(info).toBeTruthy();
    const hours = await volunteers.hoursOf(staff, communityId, personId, {});
    expect(hours.items).toHaveLength(1);
    expect(hours.items[0]).toMatchObject({
      hours: '2.50',
      source: 'shift',
      sourceEventId: shift.id,
      sourceId: 'shift-1',
    });
    expect(hours).toMatchObject({ totalHours: '2.50', points: '25.00' });
  });

  it('credits the handler of a case closed satisfied once however often the handler runs', async () => {
    const personId = String(new Types.ObjectId());
    const closed = newEvent(
      GridEvents.caseClosed,
      {
        caseId: 'case-9',
        category: 'noise',
        handlerPersonId: personId,
        gridId: String(new Types.ObjectId()),
        rating: 'satisfied',
        satisfied: true,
        closedAt: '2025-05-02T09:00:00Z',
      },
      meta,
    );
    await Promise.all([volunteers.onCaseClosed(closed), volunteers.onCaseClosed(closed)]);
    await volunteers.onCaseClosed(closed);
    const hours = await volunteers.hoursOf(staff, communityId, personId, {});
    expect(hours.items).toHaveLength(1);
    expect(hours.totalHours).toBe('1.00');
  });

  it('credits nothing for a case closed dissatisfied', async () => {
    const personId = String(new Types.ObjectId());
    const closed = newEvent(
      GridEvents.caseClosed,
      {
        caseId: 'case-10',
        category: 'noise',
        handlerPersonId: personId,
        gridId: String(new Types.ObjectId()),
        rating: 'dissatisfied',
        satisfied: false,
        closedAt: '2025-05-02T09:00:00Z',
      },
      meta,
    );
    await volunteers.onCaseClosed(closed);
    const hours = await volunteers.hoursOf(staff, communityId, personId, {});
    expect(hours.items).toHaveLength(0);
  });

  it('places hours that arrived before the resident registration once the registration arrives', async () => {
    const personId = String(new Types.ObjectId());
    const buildingId = String(new Types.ObjectId());
    const gridId = String(new Types.ObjectId());
    await volunteers.onShiftCompleted(
      newEvent(
        ActivitiesEvents.shiftCompleted,
        {
          shiftId: 'shift-early',
          sourceId: 'health-run',
          personId,
          hours: '3',
          completedAt: '2025-05-03T08:00:00Z',
        },
        meta,
      ),
    );
    const before = await volunteers.leaderboard(staff, communityId, { buildingId });
    expect(before.rows).toEqual([]);
    const registered = newEvent(
      MembershipEvents.residentRegistered,
      {
        personId,
        name: 'Zhao Lei',
        unitId: String(new Types.ObjectId()),
        buildingId,
        gridId,
        relation: Relation.Tenant,
      },
      meta,
    );
    await deliver(registered, registered.id);
    // The registration reaches the ledger asynchronously.
    const board = await eventually(async () => {
      const b = await volunteers.leaderboard(staff, communityId, { buildingId });
      return b.rows.length === 1 && b;
    }, 30_000);
    expect(board).toMatchObject({
      scope: 'building',
      scopeId: buildingId,
      rows: [{ rank: 1, personId, hours: '3.00', points: '30.00' }],
    });
    const byGrid = await volunteers.leaderboard(staff, communityId, { gridId });
    expect(byGrid.rows.map((r) => r.personId)).toEqual([personId]);
  });

  it('corrects an entry with a new entry and never below zero', async () => {
    const personId = String(new Types.ObjectId());
    const shift = newEvent(
      ActivitiesEvents.shiftCompleted,
      {
        shiftId: 'shift-2',
        sourceId: 'school-watch',
        personId,
        hours: '4.00',
        completedAt: '2025-05-04T07:00:00Z',
      },
      meta,
    );
    await volunteers.onShiftCompleted(shift);
    const [entry] = (await volunteers.hoursOf(staff, communityId, personId, {})).items;
    const correction = await volunteers.correctHours(staff, communityId, entry.id, {
      hours: '-1.50',
      reason: 'Left early',
    });
    expect(correction).toMatchObject({ hours: '-1.50', source: 'correction', correctsEntryId: entry.id });
    await expect(
      volunteers.correctHours(staff, communityId, entry.id, { hours: '-2.51', reason: 'Too much' }),
    ).rejects.toMatchObject({
      code: ErrorCode.VALIDATION_FAILED,
    });
    const hours = await volunteers.hoursOf(staff, communityId, personId, {});
    expect(hours.items.map((i) => i.hours)).toEqual(['4.00', '-1.50']);
    expect(hours.totalHours).toBe('2.50');
  });

  it('applies the configured points rate', async () => {
    const other = String(new Types.ObjectId());
    const scoped: Principal = { ...staff, communityIds: [other] };
    await volunteers.saveSettings(scoped, other, { pointsPerHour: '1.5', hoursPerCase: '2' });
    const personId = String(new Types.ObjectId());
    await volunteers.onShiftCompleted(
      newEvent(
        ActivitiesEvents.shiftCompleted,
        {
          shiftId: 'shift-3',
          sourceId: 'tug-of-war',
          personId,
          hours: '0.33',
          completedAt: '2025-05-05T07:00:00Z',
        },
        { ...meta, communityId: other },
      ),
    );
    const hours = await volunteers.hoursOf(scoped, other, personId, {});
    expect(hours).toMatchObject({ totalHours: '0.33', points: '0.50' });
  });

  it("refuses another community's ledger", async () => {
    await expect(
      volunteers.hoursOf(staff, String(new Types.ObjectId()), String(new Types.ObjectId()), {}),
    ).rejects.toMatchObject({
      code: ErrorCode.FORBIDDEN,
    });
  });
});
