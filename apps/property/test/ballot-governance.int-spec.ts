import { INestApplication } from '@nestjs/common';
import {
  AssemblyMatter,
  BallotStatus,
  DOMAIN_EVENTS_STREAM,
  DomainException,
  ErrorCode,
  EventEnvelope,
  Principal,
  PropertyEvents,
  ProxyStatus,
  Role,
  ServiceName,
  VoteChannel,
} from '@cg/contracts';
import { EventPublisher, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import mongoose, { Connection, Types } from 'mongoose';
import { NatsConnection, connect } from 'nats';
import { PropertyAppModule } from '../src/app.module';
import { BallotsService } from '../src/ballots/ballots.service';
import { OwnerRegisterService } from '../src/owners/owner-register.service';
import { newId, ownershipRecorded } from './ownership-events';

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (!(error instanceof DomainException)) throw error;
    return error.code;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ballots that close themselves, and proxy votes, on two replicas against real servers', () => {
  const config = testServiceConfig(ServiceName.Property, runId());
  const communityId = newId();
  const staff: Principal = { sub: 'staff-1', name: 'Chen Jing', roles: [Role.CommunityStaff], communityIds: [communityId] };
  const owners = Array.from({ length: 4 }, (_, i) => ({ personId: newId(), unitId: newId(), name: `Owner ${i}` }));
  const as = (personId: string): Principal => ({ sub: `acct-${personId}`, personId, name: personId, roles: [Role.Resident], communityIds: [communityId] });
  let first: INestApplication;
  let second: INestApplication;
  let db: Connection;
  let nc: NatsConnection;
  const service = (app: INestApplication) => app.get(BallotsService);

  /** Every event of this type in the domain stream. */
  async function published<T>(type: string): Promise<EventEnvelope<T>[]> {
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(DOMAIN_EVENTS_STREAM);
    const events: EventEnvelope<T>[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const msg = await jsm.streams.getMessage(DOMAIN_EVENTS_STREAM, { seq }).catch(() => undefined);
      if (msg?.subject === type) events.push(msg.json<EventEnvelope<T>>());
    }
    return events;
  }

  async function openBallot(title: string, closesInMs: number, closesAt = Date.now() + closesInMs): Promise<string> {
    const ballot = await service(first).create(staff, communityId, {
      title,
      matter: AssemblyMatter.ManagementCovenant,
      options: ['for', 'against'],
      opensAt: new Date(Date.now() - 3600_000).toISOString(),
      closesAt: new Date(closesAt).toISOString(),
    });
    await service(second).open(staff, communityId, ballot.id);
    return ballot.id;
  }

  beforeAll(async () => {
    // Both replicas sweep every 100 ms; a vote on its way gets 1 s past the end before the sweep seals the count.
    process.env.BALLOT_SWEEP_MS = '100';
    process.env.BALLOT_CLOSE_GRACE_MS = '1000';
    first = await startServiceApp(PropertyAppModule.register(config), config);
    second = await startServiceApp(PropertyAppModule.register(config), config);
    db = await mongoose.createConnection(config.mongoUrl, { dbName: config.mongoDb }).asPromise();
    nc = await connect({ servers: config.natsUrl });
    const publisher = first.get(EventPublisher);
    for (const o of owners) {
      await publisher.publish(ownershipRecorded(communityId, { unitId: o.unitId, exclusiveArea: '90.00', voterPersonId: o.personId, headcountKey: o.personId }));
    }
    await eventually(async () => (await first.get(OwnerRegisterService).summary(staff, communityId)).units === owners.length);
  });

  afterAll(async () => {
    await nc?.drain();
    await db?.close();
    await first?.close();
    await second?.close();
  });

  it('closes each due ballot once while both replicas sweep, and publishes each close event once', async () => {
    const ids: string[] = [];
    const closesAt = Date.now() + 5000;
    for (let i = 0; i < 6; i++) ids.push(await openBallot(`Covenant article ${i}`, 0, closesAt));
    for (const [i, id] of ids.entries()) {
      for (const o of owners.slice(0, 1 + (i % 4))) await service(i % 2 ? first : second).castVote(as(o.personId), communityId, id, { option: 'for' });
    }
    // Past the end plus the grace, the sweeps are joined by explicit ones on both replicas at once.
    await sleep(closesAt + 1100 - Date.now());
    await Promise.all([first, second, first, second].map((app) => service(app).closeDue()));
    await eventually(async () => (await db.collection('ballots').countDocuments({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) }, status: BallotStatus.Closed })) === ids.length);
    await eventually(async () => (await db.collection('ballots').countDocuments({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) }, 'outbox.0': { $exists: true } })) === 0);

    const closed = (await published<{ ballotId: string; closedBy: string; recordHash: string; votesCounted: number }>(PropertyEvents.ballotClosed.type)).filter((e) =>
      ids.includes(e.data.ballotId),
    );
    expect(closed.map((e) => e.data.ballotId).sort()).toEqual([...ids].sort());
    for (const [i, id] of ids.entries()) {
      const result = await service(first).result(staff, communityId, id);
      const event = closed.find((e) => e.data.ballotId === id)!;
      expect(event).toMatchObject({ communityId, data: { closedBy: 'schedule', recordHash: result.recordHash, votesCounted: 1 + (i % 4) } });
      expect((await service(second).verify(staff, communityId, id)).valid).toBe(true);
    }
    expect(await db.collection('ballot_results').countDocuments({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } })).toBe(ids.length);
    const opened = (await published<{ ballotId: string }>(PropertyEvents.ballotOpened.type)).filter((e) => ids.includes(e.data.ballotId));
    expect(opened).toHaveLength(ids.length);
  });

  it('refuses a vote once closesAt has passed, while the ballot is still open, and the sweep then closes it', async () => {
    const id = await openBallot('Hire the lift contractor', 400);
    await sleep(500);
    expect((await service(first).get(staff, communityId, id)).status).toBe(BallotStatus.Open);
    await expect(service(first).castVote(as(owners[0].personId), communityId, id, { option: 'for' })).rejects.toMatchObject({
      code: ErrorCode.OUTSIDE_WINDOW,
      details: { reason: 'ended' },
    });
    await eventually(async () => (await service(second).get(staff, communityId, id)).status === BallotStatus.Closed);
    expect((await service(first).result(staff, communityId, id)).result).toMatchObject({ outcome: 'no_quorum', channels: { online: 0, paper: 0, proxy: 0 } });
  });

  describe('proxy votes', () => {
    const proxyFor = (i: number) => ({ personId: newId(), name: `Proxy ${i}` });
    const authorise = (app: INestApplication, ballotId: string, owner: number, proxy: { personId: string; name: string }) =>
      service(app).recordProxy(staff, communityId, ballotId, {
        unitId: owners[owner].unitId,
        proxyPersonId: proxy.personId,
        proxyName: proxy.name,
        authorisation: `Written authorisation of ${owners[owner].name}, filed as no. ${owner}`,
      });

    it("counts the proxy's vote as the owner's one vote, and records the authorisation with its event", async () => {
      const id = await openBallot('Maintenance fund use', 3600_000);
      const proxy = proxyFor(0);
      const recorded = await authorise(first, id, 0, proxy);
      expect(recorded).toMatchObject({ status: ProxyStatus.Active, ownerKey: owners[0].personId, proxyPersonId: proxy.personId });
      expect(await codeOf(authorise(second, id, 0, proxyFor(9)))).toBe(ErrorCode.DUPLICATE);
      const receipt = await service(second).castVote(as(proxy.personId), communityId, id, { option: 'for' });
      expect(receipt).toMatchObject({ ownerKey: owners[0].personId, channel: VoteChannel.Proxy, proxyId: recorded.id });
      expect(await codeOf(service(first).castVote(as(owners[0].personId), communityId, id, { option: 'against' }))).toBe(ErrorCode.DUPLICATE);
      expect(await codeOf(service(first).castVote(as(proxy.personId), communityId, id, { option: 'against' }))).toBe(ErrorCode.DUPLICATE);
      expect(await codeOf(service(first).revokeProxy(staff, communityId, id, recorded.id, { reason: 'Too late' }))).toBe(ErrorCode.INVALID_TRANSITION);
      await eventually(async () =>
        (await published<{ proxyId: string }>(PropertyEvents.proxyRecorded.type)).some((e) => e.data.proxyId === recorded.id),
      );
    });

    it('lets exactly one of an owner and their proxy voting at the same moment in, on two replicas', async () => {
      const id = await openBallot('Rules of procedure', 3600_000);
      const proxy = proxyFor(1);
      await authorise(first, id, 1, proxy);
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          codeOf(service(i % 2 ? first : second).castVote(as(i % 3 ? proxy.personId : owners[1].personId), communityId, id, { option: i % 2 ? 'for' : 'against' })),
        ),
      );
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
      expect(outcomes.filter((o) => o !== 'ok').every((o) => o === ErrorCode.DUPLICATE)).toBe(true);
      expect(await db.collection('ballot_votes').countDocuments({ ballotId: new Types.ObjectId(id), ownerKey: owners[1].personId })).toBe(1);
    });

    it('lets exactly one of a revocation and the proxy vote at the same moment win, and the owner vote after a revocation', async () => {
      for (let round = 0; round < 4; round++) {
        const id = await openBallot(`Common parts use ${round}`, 3600_000);
        const proxy = proxyFor(2);
        const recorded = await authorise(second, id, 2, proxy);
        const [vote, revocation] = await Promise.all([
          codeOf(service(first).castVote(as(proxy.personId), communityId, id, { option: 'for' })),
          codeOf(service(second).revokeProxy(staff, communityId, id, recorded.id, { reason: 'The owner will vote in person' })),
        ]);
        expect([vote, revocation].filter((o) => o === 'ok')).toHaveLength(1);
        const votes = await db.collection('ballot_votes').countDocuments({ ballotId: new Types.ObjectId(id), ownerKey: owners[2].personId });
        if (revocation === 'ok') {
          expect(votes).toBe(0);
          expect([ErrorCode.INVALID_TRANSITION, ErrorCode.NOT_ELIGIBLE]).toContain(vote);
          expect((await service(first).castVote(as(owners[2].personId), communityId, id, { option: 'against' })).channel).toBe(VoteChannel.Online);
        } else {
          expect(votes).toBe(1);
          expect(revocation).toBe(ErrorCode.INVALID_TRANSITION);
        }
      }
    });

    it('shows the proxy votes counted in the sealed result', async () => {
      const id = await openBallot('Property company hiring', 3600_000);
      await authorise(first, id, 3, proxyFor(3));
      const proxy = (await db.collection('ballot_proxies').findOne({ ballotId: new Types.ObjectId(id) }))!;
      await service(first).castVote(as(proxy.proxyPersonId), communityId, id, { option: 'for' });
      for (const o of owners.slice(0, 3)) await service(second).castVote(as(o.personId), communityId, id, { option: 'for' });
      const sealed = await service(first).close(staff, communityId, id);
      expect(sealed.result).toMatchObject({ outcome: 'carried', carriedOption: 'for', channels: { online: 3, paper: 0, proxy: 1 } });
    });
  });
});
