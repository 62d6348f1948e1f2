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

describe('micro-wish events are published from insert-only step records, each once', () => {
  const id = runId();
  const config = testServiceConfig(ServiceName.Activities, id);
  const communityId = oid();
  const staff: Principal = { sub: 'staff', name: 'Chen Jing', roles: [Role.CommunityStaff], communityIds: [communityId] };
  const personId = oid();
  const resident: Principal = { sub: 'resident', personId, name: 'Wang Li', roles: [Role.Resident], communityIds: [communityId] };
  const members: Principal[] = [1, 2].map((n) => ({
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
    await Promise.all(apps.map((app) => wishes(app).flushOutbox()));
    await eventually(async () => {
      if ((await db.collection('micro_wish_changes').countDocuments({ 'outbox.0': { $exists: true } })) > 0) return false;
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

  it('claims a wish once among claims from both instances, and publishes each step once', async () => {
    const wishId = await approvedWish('A reading lamp');
    const outcomes = await Promise.all([
      codeOf(wishes(first).claim(members[0], communityId, wishId, { kind: ClaimantKind.PartyMember })),
      codeOf(wishes(second).claim(members[1], communityId, wishId, { kind: ClaimantKind.PartyMember })),
      codeOf(wishes(second).claim(staff, communityId, wishId, { kind: ClaimantKind.Enterprise, organisationName: 'Kangjian Hardware' })),
      ...apps.map((app) => codeOf(wishes(app).flushOutbox())),
    ]);
    expect(outcomes.filter((o) => o === undefined)).toHaveLength(3);
    expect(outcomes.filter((o) => o === ErrorCode.ALREADY_TAKEN)).toHaveLength(2);
    const claimant = [members[0], members[1], staff][outcomes.slice(0, 3).indexOf(undefined)];
    await Promise.all([wishes(second).fulfil(claimant, communityId, wishId, { note: 'Delivered' }), wishes(first).flushOutbox()]);
    await Promise.all([wishes(first).close(resident, communityId, wishId, 'confirm', {}), wishes(second).flushOutbox()]);
    await drained();
    const stored = await db.collection('micro_wishes').findOne({ _id: new Types.ObjectId(wishId) });
    expect(stored).toMatchObject({ status: MicroWishStatus.Confirmed, version: 4 });
    expect('outbox' in stored!).toBe(false);
    expect(typesOf(wishId)).toEqual(WISH_EVENTS.map((e) => e.type));
    const events = published.filter((e) => e.data.wishId === wishId);
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
  });

  it('finishes a step whose write was lost before the next step, and publishes its event once', async () => {
    const wishId = await approvedWish('Groceries');
    const _id = new Types.ObjectId(wishId);
    await wishes(first).claim(members[0], communityId, wishId, { kind: ClaimantKind.PartyMember });
    // What a stop between the claim record (with its event) and the wish's write leaves.
    await db.collection('micro_wishes').updateOne({ _id }, { $set: { status: MicroWishStatus.Approved, version: 1 }, $unset: { claimant: '' } });
    expect(await codeOf(wishes(second).claim(members[1], communityId, wishId, { kind: ClaimantKind.PartyMember }))).toBe(ErrorCode.ALREADY_TAKEN);
    const fulfilled = await wishes(second).fulfil(members[0], communityId, wishId, {});
    expect(fulfilled).toMatchObject({ status: MicroWishStatus.Fulfilled, claimant: { name: members[0].name } });

    // Without a next step, the completion pass finishes it.
    await wishes(first).close(resident, communityId, wishId, 'confirm', {});
    await db.collection('micro_wishes').updateOne({ _id }, { $set: { status: MicroWishStatus.Fulfilled, version: 3 } });
    await Promise.all(apps.map((app) => wishes(app).completeChanges({ since: new Date(0), before: new Date(Date.now() + 60_000) })));
    expect(await db.collection('micro_wishes').findOne({ _id })).toMatchObject({ status: MicroWishStatus.Confirmed, version: 4 });
    await drained();
    expect(typesOf(wishId)).toEqual(WISH_EVENTS.map((e) => e.type));
  });

  it('publishes once the event an older wish still holds in its own outbox, and takes its next step as usual', async () => {
    const _id = new Types.ObjectId();
    const claimedAt = new Date();
    const pending = newEvent(
      ActivitiesEvents.microWishClaimed,
      { wishId: String(_id), claimantKind: ClaimantKind.PartyMember, claimantName: members[0].name, claimantPersonId: members[0].personId, claimedAt: claimedAt.toISOString() },
      { communityId, actor: members[0].sub, correlationId: `c-${id}` },
    );
    // Written before the step journal: no version, the event still in the embedded outbox.
    await db.collection('micro_wishes').insertOne({
      _id,
      communityId: new Types.ObjectId(communityId),
      residentPersonId: new Types.ObjectId(personId),
      gridId: new Types.ObjectId(),
      buildingId: new Types.ObjectId(),
      what: 'A kettle',
      why: 'Broken',
      neededBy: '2030-01-01',
      category: MicroWishCategory.DailyNeeds,
      photoUrls: [],
      status: MicroWishStatus.Claimed,
      claimant: { kind: ClaimantKind.PartyMember, name: members[0].name, personId: members[0].personId, accountId: members[0].sub, claimedAt },
      postedAt: new Date(),
      outbox: [pending],
    });
    await Promise.all([...apps, first].map((app) => wishes(app).handOverOutboxes()));
    await drained();
    await wishes(second).handOverOutboxes();
    await drained();
    expect(published.filter((e) => e.id === pending.id)).toHaveLength(1);

    await wishes(first).fulfil(members[0], communityId, String(_id), {});
    await drained();
    expect(await db.collection('micro_wishes').findOne({ _id })).toMatchObject({ status: MicroWishStatus.Fulfilled, version: 1 });
    expect(typesOf(String(_id))).toEqual([ActivitiesEvents.microWishClaimed.type, ActivitiesEvents.microWishFulfilled.type]);
  });
});
