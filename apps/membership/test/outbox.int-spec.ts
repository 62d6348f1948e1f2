import { INestApplication } from '@nestjs/common';
import { DOMAIN_EVENTS_STREAM, MembershipEvents, Relation, ServiceName, newEvent } from '@cg/contracts';
import { NatsConnection, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import mongoose, { Connection, Types } from 'mongoose';
import { NatsConnection as Connected, connect } from 'nats';
import { MembershipAppModule } from '../src/app.module';

describe('events written with a change are published even when the process dies before publishing', () => {
  const config = testServiceConfig(ServiceName.Membership, runId());
  let db: Connection;
  let nc: Connected;

  beforeAll(async () => {
    db = await mongoose.createConnection(config.mongoUrl, { dbName: config.mongoDb }).asPromise();
    nc = await connect({ servers: config.natsUrl });
  });

  afterAll(async () => {
    await db.close();
    await nc.drain();
  });

  async function publishedIds(subject: string): Promise<string[]> {
    const jsm = await nc.jetstreamManager();
    const ids: string[] = [];
    const info = await jsm.streams.info(DOMAIN_EVENTS_STREAM).catch(() => undefined);
    if (!info) return ids;
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const msg = await jsm.streams.getMessage(DOMAIN_EVENTS_STREAM, { seq }).catch(() => undefined);
      if (msg?.subject === subject) ids.push(msg.json<{ id: string }>().id);
    }
    return ids;
  }

  it('publishes an event left in a document by a crashed process once the service is back, exactly once', async () => {
    const communityId = new Types.ObjectId();
    const personId = new Types.ObjectId();
    const envelope = newEvent(
      MembershipEvents.residentRegistered,
      {
        personId: String(personId),
        name: 'Sun Li',
        unitId: String(new Types.ObjectId()),
        buildingId: String(new Types.ObjectId()),
        gridId: String(new Types.ObjectId()),
        relation: Relation.Tenant,
      },
      { communityId: String(communityId), actor: 'test', correlationId: 'crash-1' },
    );
    // The state a crash right after the write leaves behind: the resident stored, its event not yet published.
    await db.collection('residents').insertOne({
      _id: personId,
      communityId,
      name: 'Sun Li',
      phone: '13700000000',
      unitId: new Types.ObjectId(envelope.data.unitId),
      buildingId: new Types.ObjectId(envelope.data.buildingId),
      gridId: new Types.ObjectId(envelope.data.gridId),
      relation: Relation.Tenant,
      registeredAt: new Date(),
      outbox: [envelope],
    });

    const app: INestApplication = await startServiceApp(MembershipAppModule.register(config), config);
    try {
      await eventually(async () => {
        const doc = await db.collection('residents').findOne({ _id: personId });
        return doc?.outbox.length === 0;
      });
      // A second relay pass over an event already published (a crash between publish and removal) is dropped.
      await app.get(NatsConnection).js.publish(envelope.type, new TextEncoder().encode(JSON.stringify(envelope)), {
        msgID: envelope.id,
      });
    } finally {
      await app.close();
    }
    const ids = await publishedIds(MembershipEvents.residentRegistered.type);
    expect(ids.filter((id) => id === envelope.id)).toHaveLength(1);
  });
});
