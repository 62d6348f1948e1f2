import { INestApplication } from '@nestjs/common';
import {
  ActivitiesEvents,
  ClaimantKind,
  DOMAIN_EVENTS_STREAM,
  DomainException,
  ErrorCode,
  EventContract,
  EventEnvelope,
  MembershipEvents,
  MicroWishCategory,
  MicroWishStatus,
  Principal,
  Relation,
  ReviewDecision,
  Role,
  ServiceName,
  newEvent,
} from '@cg/contracts';
import { DurableConsumers, NatsConnection, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import { JSONCodec } from 'nats';
import mongoose, { Connection, Types } from 'mongoose';
import { ActivitiesAppModule } from '../src/app.module';
import { MicroWishesService } from '../src/micro-wishes/micro-wishes.service';
import { ResidencyService } from '../src/residents/residency.service';

const oid = () => new Types.ObjectId().toHexString();
const codec = JSONCodec();

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as DomainException).code ?? ErrorCode.INTERNAL;
  }
}

const WISH_EVENTS = [ActivitiesEvents.microWishClaimed, ActivitiesEvents.microWishFulfilled, ActivitiesEvents.microWishConfirmed];

describe('micro-wish steps are decided by one conditional update of the wish, each event published once', () => {
  const id = runId();
  const config = testServiceConfig(ServiceName.Activities, id);
  const communityId = oid();
  const staff: Principal = { sub: 'staff', name: 'Chen Jing', roles: [Role.CommunityStaff], communityIds: [communityId] };
  const personId = oid();
  const resident: Principal = { sub: 'resident', personId, name: 'Wang Li', roles: [Role.Resident], communityIds: [communityId] };
  const members: Principal[] = Array.from({ length: 50 }, (_, n) => ({
    sub: `member-${n}`,
    personId: oid(),
    name: `Party member ${n}`,
    roles: [Role.Resident, Role.PartyMember],
    communityIds: [communityId],
  }));
  const durables = WISH_EVENTS.map((event, n) => ({ event, durable: `test-wish-events-${id}-${n}` }));
  const published: EventEnvelope<Record<string, unknown>>[] = [];
  let first: INestApplication;
  let second: INestApplication;
  let apps: INestApplication[];
  let nats: NatsConnection;
  let db: Connection;

  const wishes = (app: INestApplication) => app.get(MicroWishesService);
  const typesOf = (wishId: string) => published.filter((e) => e.data.wishId === wishId).map((e) => e.type);

  async function drained(): Promise<void> {
    await eventually(async () => {
      if ((await db.collection('micro_wishes').countDocuments({ 'outbox.0': { $exists: true } })) > 0) return false;
      for (const { durable } of durables) {
        const info = await nats.jsm.consumers.info(DOMAIN_EVENTS_STREAM, durable);
        if (info.num_pending > 0 || info.num_ack_pending > 0) return false;
      }
      return true;
    });
  }

  async function approvedWish(what: string): Promise<string> {
    const wish = await wishes(first).post(resident, communityId, {
      what,
      why: 'Needed at home',
      neededBy: '2030-01-01',
      category: MicroWishCategory.DailyNeeds,
    });
    await wishes(second).review(staff, communityId, wish.id, { decision: ReviewDecision.Approve });
    return wish.id;
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
    const registered = newEvent(
      MembershipEvents.residentRegistered,
      { personId, name: 'Wang Li', unitId: oid(), buildingId: oid(), gridId: oid(), relation: Relation.Tenant },
      { communityId, actor: 'test', correlationId: `c-${id}` },
    );
    await nats.js.publish(registered.type, codec.encode(registered), { msgID: registered.id });
    await eventually(async () => Boolean(await first.get(ResidencyService).find(communityId, personId)));
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await db?.close();
  });

  it('gives a wish to exactly one of 50 claimants at once, refuses the other 49, and publishes each step once', async () => {
    const wishId = await approvedWish('A reading lamp');
    const outcomes = await Promise.all(
      members.map((member, n) => codeOf(wishes(apps[n % 2]).claim(member, communityId, wishId, { kind: ClaimantKind.PartyMember }))),
    );
    expect(outcomes.filter((o) => o === undefined)).toHaveLength(1);
    expect(outcomes.filter((o) => o === ErrorCode.ALREADY_TAKEN)).toHaveLength(49);
    const claimant = members[outcomes.indexOf(undefined)];

    // The claimant marks it fulfilled twice at once, from both instances: one step, one event.
    const fulfilled = await Promise.all(apps.map((app) => codeOf(wishes(app).fulfil(claimant, communityId, wishId, { note: 'Delivered' }))));
    expect(fulfilled.sort()).toEqual([ErrorCode.INVALID_TRANSITION, undefined].sort());
    const confirmed = await wishes(first).close(resident, communityId, wishId, 'confirm', {});
    expect(confirmed).toMatchObject({ status: MicroWishStatus.Confirmed, claimant: { name: claimant.name } });
    await drained();

    const stored = await db.collection('micro_wishes').findOne({ _id: new Types.ObjectId(wishId) });
    expect(stored).toMatchObject({ status: MicroWishStatus.Confirmed, claimant: { accountId: claimant.sub }, outbox: [] });
    expect(typesOf(wishId)).toEqual(WISH_EVENTS.map((e) => e.type));
    const events = published.filter((e) => e.data.wishId === wishId);
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
    expect(events[0].data).toMatchObject({ claimantPersonId: claimant.personId, claimantName: claimant.name });
  });

  it('expires an unclaimed wish past its deadline once, and refuses a claim after it', async () => {
    const wishId = await approvedWish('Groceries');
    const _id = new Types.ObjectId(wishId);
    await db.collection('micro_wishes').updateOne({ _id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const [claim, ...expired] = await Promise.all([
      codeOf(wishes(first).claim(members[0], communityId, wishId, { kind: ClaimantKind.PartyMember })),
      ...apps.map((app) => wishes(app).expireDue(new Date())),
    ]);
    // Refused either way: past its deadline before the sweep, or expired by it.
    expect([ErrorCode.OUTSIDE_WINDOW, ErrorCode.INVALID_TRANSITION]).toContain(claim);
    expect((expired as number[]).reduce((sum, n) => sum + n, 0)).toBe(1);
    expect(await db.collection('micro_wishes').findOne({ _id })).toMatchObject({ status: MicroWishStatus.Expired });
    expect(await codeOf(wishes(second).claim(members[1], communityId, wishId, { kind: ClaimantKind.PartyMember }))).toBe(
      ErrorCode.INVALID_TRANSITION,
    );
    await drained();
    expect(typesOf(wishId)).toEqual([]);
  });
});
