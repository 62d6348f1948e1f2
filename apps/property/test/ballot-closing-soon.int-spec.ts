import { INestApplication } from '@nestjs/common';
import {
  AssemblyMatter,
  BallotClosingSoonData,
  DOMAIN_EVENTS_STREAM,
  EventEnvelope,
  Principal,
  PropertyEvents,
  Role,
  ServiceName,
} from '@cg/contracts';
import { EventPublisher, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import mongoose, { Connection, Types } from 'mongoose';
import { NatsConnection, connect } from 'nats';
import { PropertyAppModule } from '../src/app.module';
import { BallotsService } from '../src/ballots/ballots.service';
import { OwnerRegisterService } from '../src/owners/owner-register.service';
import { newId, ownershipRecorded } from './ownership-events';

const hour = 3600_000;

describe('ballots closing within a day, announced by the sweeps of two replicas', () => {
  const config = testServiceConfig(ServiceName.Property, runId());
  const communityId = newId();
  const staff: Principal = { sub: 'staff-1', name: 'Chen Jing', roles: [Role.CommunityStaff], communityIds: [communityId] };
  let first: INestApplication;
  let second: INestApplication;
  let db: Connection;
  let nc: NatsConnection;
  const service = (app: INestApplication) => app.get(BallotsService);

  async function published(ids: string[]): Promise<EventEnvelope<BallotClosingSoonData>[]> {
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(DOMAIN_EVENTS_STREAM);
    const events: EventEnvelope<BallotClosingSoonData>[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const msg = await jsm.streams.getMessage(DOMAIN_EVENTS_STREAM, { seq }).catch(() => undefined);
      if (msg?.subject !== PropertyEvents.ballotClosingSoon.type) continue;
      const event = msg.json<EventEnvelope<BallotClosingSoonData>>();
      if (ids.includes(event.data.ballotId)) events.push(event);
    }
    return events;
  }

  async function ballot(title: string, closesInMs: number, open = true): Promise<string> {
    const created = await service(first).create(staff, communityId, {
      title,
      matter: AssemblyMatter.ManagementCovenant,
      options: ['for', 'against'],
      opensAt: new Date(Date.now() - hour).toISOString(),
      closesAt: new Date(Date.now() + closesInMs).toISOString(),
    });
    if (open) await service(second).open(staff, communityId, created.id);
    return created.id;
  }

  const objectIds = (ids: string[]) => ids.map((id) => new Types.ObjectId(id));

  beforeAll(async () => {
    process.env.BALLOT_SWEEP_MS = '100';
    first = await startServiceApp(PropertyAppModule.register(config), config);
    second = await startServiceApp(PropertyAppModule.register(config), config);
    db = await mongoose.createConnection(config.mongoUrl, { dbName: config.mongoDb }).asPromise();
    nc = await connect({ servers: config.natsUrl });
    await first.get(EventPublisher).publish(
      ownershipRecorded(communityId, { unitId: newId(), exclusiveArea: '90.00', voterPersonId: newId() }),
    );
    await eventually(async () => (await first.get(OwnerRegisterService).summary(staff, communityId)).units === 1);
  });

  afterAll(async () => {
    delete process.env.BALLOT_SWEEP_MS;
    await nc?.drain();
    await db?.close();
    await first?.close();
    await second?.close();
  });

  it('publishes one closing-soon event per open ballot closing within 24 hours, however many sweeps run at once', async () => {
    const soon: string[] = [];
    for (let i = 0; i < 6; i++) soon.push(await ballot(`Covenant article ${i}`, (2 + 3 * i) * hour));
    const later = await ballot('Hire the lift contractor', 30 * hour);
    const draft = await ballot('Repaint the gates', 3 * hour, false);
    // The periodic sweeps of both replicas are joined by explicit ones on both at once.
    const queued = await Promise.all([first, second, first, second].map((app) => service(app).announceClosingSoon()));
    await eventually(async () => (await db.collection('ballots').countDocuments({ _id: { $in: objectIds(soon) }, closingSoonAt: { $exists: true } })) === soon.length);
    await eventually(async () => (await db.collection('ballots').countDocuments({ _id: { $in: objectIds(soon) }, 'outbox.0': { $exists: true } })) === 0);
    await Promise.all([first, second].map((app) => service(app).announceClosingSoon()));

    const events = await published([...soon, later, draft]);
    expect(events.map((e) => e.data.ballotId).sort()).toEqual([...soon].sort());
    expect(queued.reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(soon.length);
    for (const [i, id] of soon.entries()) {
      const { closesAt } = await service(first).get(staff, communityId, id);
      expect(events.find((e) => e.data.ballotId === id)).toMatchObject({ communityId, data: { title: `Covenant article ${i}`, closesAt } });
    }
    const untouched = await db.collection('ballots').countDocuments({ _id: { $in: objectIds([later, draft]) }, closingSoonAt: { $exists: true } });
    expect(untouched).toBe(0);
  });
});
