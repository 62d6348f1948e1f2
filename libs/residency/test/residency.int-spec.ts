import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import {
  DOMAIN_EVENTS_STREAM,
  EventEnvelope,
  MembershipEvents,
  Relation,
  ResidencePlace,
  ResidentMovedData,
  newEvent,
} from '@cg/contracts';
import { AuthModule } from '@cg/auth';
import { MessagingModule, NatsConnection } from '@cg/messaging';
import { ObservabilityModule } from '@cg/observability';
import { PersistenceModule } from '@cg/persistence';
import { ResidencyModule, ResidencyOptions, ResidencyRepository } from '@cg/residency';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import { Connection, Types } from 'mongoose';
import { JSONCodec } from 'nats';

const codec = JSONCodec();
const oid = () => new Types.ObjectId().toHexString();
const place = (): ResidencePlace => ({ unitId: oid(), buildingId: oid(), gridId: oid() });

describe('a residency read model follows membership events delivered twice and out of order', () => {
  const id = runId();
  const communityId = oid();
  const meta = { communityId, actor: 'staff', correlationId: `corr-${id}` };
  const named: ResidencyOptions = {
    collection: 'residencies',
    durables: { registrations: `named-residents-${id}`, moves: `named-resident-moves-${id}` },
    keepNames: true,
    indexes: [{ communityId: 1, buildingId: 1 }],
  };
  const unnamed: ResidencyOptions = {
    collection: 'residences',
    durables: { registrations: `unnamed-residents-${id}`, moves: `unnamed-resident-moves-${id}` },
    keepNames: false,
  };
  const durables = [named, unnamed].flatMap((o) => [o.durables.registrations, o.durables.moves]);
  const apps: INestApplicationContext[] = [];
  let withNames: INestApplicationContext;
  let withoutNames: INestApplicationContext;
  let nats: NatsConnection;

  async function start(service: string, options: ResidencyOptions): Promise<INestApplicationContext> {
    const config = testServiceConfig(service, id);
    @Module({
      imports: [
        ObservabilityModule.forRoot(config),
        AuthModule.forRoot(config),
        MessagingModule,
        PersistenceModule.forRoot(config),
        ResidencyModule.register(options),
      ],
    })
    class ResidencyTestModule {}
    const app = await NestFactory.createApplicationContext(ResidencyTestModule, { logger: false });
    await app.init();
    apps.push(app);
    return app;
  }

  /** Publishes under a message id of its own, so JetStream's de-duplication does not hide the repeat. */
  async function deliver(envelope: EventEnvelope, copy: string): Promise<void> {
    await nats.js.publish(envelope.type, codec.encode(envelope), { msgID: `${envelope.id}-${copy}` });
  }

  async function drained(): Promise<void> {
    await eventually(async () => {
      for (const durable of durables) {
        const info = await nats.jsm.consumers.info(DOMAIN_EVENTS_STREAM, durable);
        if (info.num_pending !== 0 || info.num_ack_pending !== 0) return false;
      }
      return true;
    });
  }

  function registered(personId: string, at: ResidencePlace) {
    return newEvent(
      MembershipEvents.residentRegistered,
      { personId, name: 'Sun Li', ...at, relation: Relation.Tenant },
      meta,
    );
  }

  function moved(personId: string, revision: number, from: ResidencePlace | null, to: ResidencePlace | null) {
    const data: ResidentMovedData = {
      personId,
      name: 'Sun Li',
      from,
      to,
      relation: Relation.Tenant,
      movedAt: new Date(Date.UTC(2025, 0, revision + 1)).toISOString(),
      revision,
      reason: to ? 'moved' : 'moved_out',
    };
    return newEvent(MembershipEvents.residentMoved, data, meta);
  }

  async function records(personId: string) {
    const person = new Types.ObjectId(personId);
    const community = new Types.ObjectId(communityId);
    return Promise.all(
      [withNames, withoutNames].map(async (app) => ({
        latest: await app.get(ResidencyRepository).findForPerson(community, person),
        current: await app.get(ResidencyRepository).findInCommunity(community, person),
      })),
    );
  }

  beforeAll(async () => {
    withNames = await start('residency-named', named);
    withoutNames = await start('residency-unnamed', unnamed);
    nats = withNames.get(NatsConnection);
  });

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
  });

  it('records a redelivered registration once and keeps the first one', async () => {
    const personId = oid();
    const home = place();
    const registration = registered(personId, home);
    await deliver(registration, 'a');
    await deliver(registration, 'b');
    await drained();

    for (const { latest, current } of await records(personId)) {
      expect(current).toMatchObject({ sourceEventId: registration.id, relation: Relation.Tenant });
      expect(String(current!.unitId)).toBe(home.unitId);
      expect(latest).toEqual(current);
    }
    const count = (app: INestApplicationContext, collection: string) =>
      app
        .get<Connection>(getConnectionToken())
        .collection(collection)
        .countDocuments({ _id: new Types.ObjectId(personId) });
    expect(await count(withNames, 'residencies')).toBe(1);
    expect(await count(withoutNames, 'residences')).toBe(1);
  });

  it('keeps names only where the service asked for them', async () => {
    const personId = oid();
    await deliver(registered(personId, place()), 'a');
    await deliver(moved(personId, 1, place(), place()), 'a');
    await drained();

    const [kept, left] = await records(personId);
    expect(kept.current).toMatchObject({ name: 'Sun Li', revision: 1 });
    expect(left.current).toMatchObject({ revision: 1 });
    expect(left.current).not.toHaveProperty('name');
  });

  it('ends at the newest move when an older one and the registration arrive after it, each twice', async () => {
    const personId = oid();
    const [home, first, second] = [place(), place(), place()];
    const one = moved(personId, 1, home, first);
    const two = moved(personId, 2, first, second);
    const registration = registered(personId, home);
    await deliver(two, 'a');
    await deliver(one, 'a');
    await deliver(two, 'b');
    await deliver(one, 'b');
    await deliver(registration, 'a');
    await deliver(registration, 'b');
    await drained();

    for (const { current } of await records(personId)) {
      expect(current).toMatchObject({ revision: 2, sourceEventId: two.id });
      expect(String(current!.unitId)).toBe(second.unitId);
      expect(String(current!.buildingId)).toBe(second.buildingId);
      expect(String(current!.gridId)).toBe(second.gridId);
    }
  });

  it('keeps a move out when the move before it arrives late', async () => {
    const personId = oid();
    const [home, last] = [place(), place()];
    const two = moved(personId, 2, home, last);
    const out = moved(personId, 3, last, null);
    await deliver(registered(personId, home), 'a');
    await deliver(out, 'a');
    await deliver(out, 'b');
    await deliver(two, 'late');
    await drained();

    for (const { latest, current } of await records(personId)) {
      expect(current).toBeNull();
      expect(latest).toMatchObject({ revision: 3, sourceEventId: out.id });
      expect(latest!.leftAt).toEqual(new Date(out.data.movedAt));
      expect(String(latest!.unitId)).toBe(last.unitId);
    }
  });

  it('ends at the newest of 30 moves applied at once in any order, each applied by one write', async () => {
    const personId = oid();
    const places = Array.from({ length: 31 }, place);
    const repository = withNames.get(ResidencyRepository);
    const moves = Array.from({ length: 30 }, (_, i) => moved(personId, i + 1, places[i], places[i + 1]));
    const shuffled = [...moves, ...moves].sort(() => Math.random() - 0.5);
    const { fromMove } = await import('../src/residency.rules');
    const applied = await Promise.all(shuffled.map((event) => repository.applyRevision(fromMove(event, true)!)));

    const [kept] = await records(personId);
    expect(kept.current).toMatchObject({ revision: 30, sourceEventId: moves[29].id });
    expect(String(kept.current!.unitId)).toBe(places[30].unitId);
    // The newest revision is written exactly once; a repeat of it never wins.
    const newest = shuffled.map((e, i) => [e, applied[i]] as const).filter(([e, won]) => e.data.revision === 30 && won);
    expect(newest).toHaveLength(1);
  });

  it('counts the residents living in each building, leaving out those who moved out', async () => {
    const building = place();
    const [stays, leaves] = [oid(), oid()];
    await deliver(registered(stays, building), 'a');
    await deliver(registered(leaves, building), 'a');
    await deliver(moved(leaves, 1, building, null), 'a');
    await drained();

    const counts = await withNames.get(ResidencyRepository).countByBuilding(new Types.ObjectId(communityId));
    expect(counts.get(building.buildingId)).toBe(1);
  });
});
