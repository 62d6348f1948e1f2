import { INestApplication } from '@nestjs/common';
import {
  AssemblyMatter,
  BallotStatus,
  CandidateSource,
  ErrorCode,
  MembershipEvents,
  Principal,
  Relation,
  ResidentRegisteredData,
  Role,
  ServiceName,
  ServiceRequestCategory,
  TopicCategory,
  TopicDecision,
  newEvent,
} from '@cg/contracts';
import { EventPublisher, startServiceApp } from '@cg/messaging';
import { runInScope } from '@cg/observability';
import { ResidencyRepository } from '@cg/residency';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import mongoose, { Connection, Types } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { PropertyAppModule } from '../src/app.module';
import { BallotsService } from '../src/ballots/ballots.service';
import { DeliberationService } from '../src/deliberation/deliberation.service';
import { ElectionsService } from '../src/elections/elections.service';
import { OwnerRegisterService } from '../src/owners/owner-register.service';
import { ServiceRequestsService } from '../src/service-requests/service-requests.service';
import { newId, ownershipRecorded } from './ownership-events';

const HOUR = 3600_000;

/** A write key as the gateway makes it from an Idempotency-Key: when it was first seen, and the request's digest. */
const writeKey = () => `${Math.floor(Date.now() / 1000)}.${randomBytes(20).toString('hex')}`;

describe('property creates retried with the same write key store one document and answer it each time', () => {
  const id = runId();
  const config = testServiceConfig(ServiceName.Property, id);
  const communityId = newId();
  const community = new Types.ObjectId(communityId);
  const staff: Principal = { sub: 'staff-1', name: 'Chen Jing', roles: [Role.CommunityStaff], communityIds: [communityId] };
  const committee: Principal = { sub: 'oc-1', name: 'Zhou Min', roles: [Role.OwnersCommitteeMember], communityIds: [communityId] };
  const voter = newId();
  const owner: Principal = { sub: `acct-${voter}`, personId: voter, name: 'Li Na', roles: [Role.Resident, Role.Owner], communityIds: [communityId] };
  const resident: Principal = { sub: 'acct-wang', personId: newId(), name: 'Wang Lei', roles: [Role.Resident], communityIds: [communityId] };
  let first: INestApplication;
  let second: INestApplication;
  let db: Connection;

  /** Runs `fn` as the RPC server does for a call of `principal`, with the write key the gateway passed on. */
  const inWrite = <T>(key: string | undefined, principal: Principal, fn: () => Promise<T>) =>
    runInScope({ correlationId: `c-${id}`, principal, ...(key && { writeKey: key }) }, fn);

  const period = () => ({
    opensAt: new Date(Date.now() - HOUR).toISOString(),
    closesAt: new Date(Date.now() + 24 * HOUR).toISOString(),
  });

  beforeAll(async () => {
    first = await startServiceApp(PropertyAppModule.register(config), config);
    second = await startServiceApp(PropertyAppModule.register(config), config);
    db = await mongoose.createConnection(config.mongoUrl, { dbName: config.mongoDb }).asPromise();
    const publisher = first.get(EventPublisher);
    await publisher.publish(ownershipRecorded(communityId, { unitId: newId(), voterPersonId: voter, headcountKey: voter }));
    await publisher.publish(
      newEvent<ResidentRegisteredData>(
        MembershipEvents.residentRegistered,
        { personId: resident.personId!, name: resident.name, unitId: newId(), buildingId: newId(), gridId: newId(), relation: Relation.Owner },
        { communityId, actor: 'membership', correlationId: `corr-${id}` },
      ),
    );
    const register = first.get(OwnerRegisterService);
    const residences = first.get(ResidencyRepository);
    await eventually(async () => (await register.summary(staff, communityId)).units === 1);
    await eventually(async () => residences.findInCommunity(community, new Types.ObjectId(resident.personId)));
  });

  afterAll(async () => {
    await db?.close();
    await first?.close();
    await second?.close();
  });

  it('creates a ballot once when the create is retried, on either instance, and twice without a write key', async () => {
    const key = writeKey();
    const dto = { title: `Retried ${id}`, matter: AssemblyMatter.CommonPartsUseChange, options: ['for', 'against'], ...period() };
    const a = await inWrite(key, staff, () => first.get(BallotsService).create(staff, communityId, dto));
    const b = await inWrite(key, staff, () => second.get(BallotsService).create(staff, communityId, dto));
    expect(b.id).toBe(a.id);
    expect(b).toEqual(a);
    expect(await db.collection('ballots').countDocuments({ title: dto.title })).toBe(1);

    const plain = { ...dto, title: `Plain ${id}` };
    const c = await inWrite(undefined, staff, () => first.get(BallotsService).create(staff, communityId, plain));
    const d = await inWrite(undefined, staff, () => first.get(BallotsService).create(staff, communityId, plain));
    expect(d.id).not.toBe(c.id);
    expect(await db.collection('ballots').countDocuments({ title: plain.title })).toBe(2);
  });

  it('records a vote once when it is retried, answering the same receipt; another write of the same owner is DUPLICATE', async () => {
    const ballots = first.get(BallotsService);
    const ballot = await ballots.create(staff, communityId, {
      title: `Vote ${id}`,
      matter: AssemblyMatter.CommonPartsUseChange,
      options: ['for', 'against'],
      ...period(),
    });
    await ballots.open(staff, communityId, ballot.id);
    expect(await db.collection('ballot_electors').countDocuments({ ballotId: new Types.ObjectId(ballot.id) })).toBe(1);
    const key = writeKey();
    const vote = (app: INestApplication) =>
      inWrite(key, owner, () => app.get(BallotsService).castVote(owner, communityId, ballot.id, { option: 'for' }));
    const receipt = await vote(first);
    expect(await vote(second)).toEqual(receipt);
    expect(await db.collection('ballot_votes').countDocuments({ ballotId: new Types.ObjectId(ballot.id) })).toBe(1);
    await expect(
      inWrite(writeKey(), owner, () => ballots.castVote(owner, communityId, ballot.id, { option: 'against' })),
    ).rejects.toMatchObject({ code: ErrorCode.DUPLICATE });
  });

  it('opens a service request once when it is retried, and twice without a write key', async () => {
    const dto = { category: ServiceRequestCategory.Repair, description: `The kitchen tap leaks ${id}` };
    const key = writeKey();
    const a = await inWrite(key, resident, () => first.get(ServiceRequestsService).open(resident, communityId, dto));
    const b = await inWrite(key, resident, () => second.get(ServiceRequestsService).open(resident, communityId, dto));
    expect(b).toEqual(a);
    expect(await db.collection('service_requests').countDocuments({ description: dto.description })).toBe(1);

    const plain = { ...dto, description: `The hall light flickers ${id}` };
    const c = await inWrite(undefined, resident, () => first.get(ServiceRequestsService).open(resident, communityId, plain));
    const d = await inWrite(undefined, resident, () => first.get(ServiceRequestsService).open(resident, communityId, plain));
    expect(d.id).not.toBe(c.id);
    expect(await db.collection('service_requests').countDocuments({ description: plain.description })).toBe(2);
  });

  it('raises a forum topic once and puts it to the ballot once when each is retried, also at the same moment', async () => {
    const forum = (app: INestApplication) => app.get(DeliberationService);
    const raise = { title: `Parcel room ${id}`, description: 'Parcels pile up in the lobby.', category: TopicCategory.CommonParts };
    const raiseKey = writeKey();
    const topic = await inWrite(raiseKey, resident, () => forum(first).raise(resident, communityId, raise));
    expect(await inWrite(raiseKey, resident, () => forum(second).raise(resident, communityId, raise))).toEqual(topic);
    expect(await db.collection('deliberation_topics').countDocuments({ title: raise.title })).toBe(1);
    // A topic goes to a ballot once supported to the threshold, taken up and referred by the committee.
    await forum(first).saveSettings(staff, communityId, { supportThreshold: 1 });
    const referred = async (topicId: string) => {
      await forum(first).support(resident, communityId, topicId);
      await forum(first).takeUp(committee, communityId, topicId, {});
      await forum(first).respond(committee, communityId, topicId, { text: 'For the owners to decide.', decision: TopicDecision.ReferredToBallot });
    };
    await referred(topic.id);

    const toBallot = { matter: AssemblyMatter.CommonPartsUseChange, ...period() };
    const ballotKey = writeKey();
    const sent = await inWrite(ballotKey, committee, () => forum(first).toBallot(committee, communityId, topic.id, toBallot));
    const again = await inWrite(ballotKey, committee, () => forum(second).toBallot(committee, communityId, topic.id, toBallot));
    expect(again.ballot.id).toBe(sent.ballot.id);
    expect(again.topic.ballotId).toBe(sent.ballot.id);
    expect(await db.collection('ballots').countDocuments({ title: raise.title })).toBe(1);

    const lights = { ...raise, title: `Stairwell lights ${id}` };
    const other = await forum(first).raise(resident, communityId, lights);
    await referred(other.id);
    const atOnceKey = writeKey();
    const both = await Promise.all(
      [first, second].map((app) => inWrite(atOnceKey, committee, () => forum(app).toBallot(committee, communityId, other.id, toBallot))),
    );
    expect(both[1].ballot.id).toBe(both[0].ballot.id);
    const stored = await db.collection('ballots').find({ title: lights.title }).toArray();
    expect(stored.map((b) => [String(b._id), b.status])).toEqual([[both[0].ballot.id, BallotStatus.Draft]]);
    expect((await forum(first).get(committee, communityId, other.id)).ballotId).toBe(both[0].ballot.id);
  });

  it('nominates a candidate once when the nomination is retried, and counts the nomination once', async () => {
    const elections = (app: INestApplication) => app.get(ElectionsService);
    const create = { title: `Election ${id}`, seats: 5 };
    const createKey = writeKey();
    const election = await inWrite(createKey, staff, () => elections(first).create(staff, communityId, create));
    expect(await inWrite(createKey, staff, () => elections(second).create(staff, communityId, create))).toEqual(election);
    expect(await db.collection('committee_elections').countDocuments({ title: create.title })).toBe(1);

    const nomination = { source: CandidateSource.SelfNominated, personId: voter, name: owner.name };
    const key = writeKey();
    const nominate = (app: INestApplication) =>
      inWrite(key, owner, () => elections(app).nominate(owner, communityId, election.id, nomination));
    const candidate = await nominate(first);
    expect(await nominate(second)).toEqual(candidate);
    const electionId = new Types.ObjectId(election.id);
    expect(await db.collection('committee_candidates').countDocuments({ electionId })).toBe(1);
    expect((await db.collection('committee_elections').findOne({ _id: electionId }))!.nominations).toBe(1);
  });
});
