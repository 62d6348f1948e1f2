import { getModelToken } from '@nestjs/mongoose';
import {
  BodyKind,
  DOMAIN_EVENTS_STREAM,
  ErrorCode,
  EventEnvelope,
  MembershipOwnerEvents,
  OwnershipRecordedData,
  PositionKind,
  PropertyEvents,
  Relation,
  Role,
  newEvent,
} from '@cg/contracts';
import { EventPublisher } from '@cg/messaging';
import { eventually } from '@cg/testing';
import { Model, Types } from 'mongoose';
import { JSONCodec, connect } from 'nats';
import { Election } from '../../apps/property/src/elections/election.schema';
import { ADMIN, TestSystem, client } from './support/system';

type Client = ReturnType<typeof client>;
const WEEK = 7 * 86_400_000;
const newId = () => new Types.ObjectId().toHexString();

/**
 * Eleven owners of 1000 m²: owners 0 and 1 hold 135 m² each (27% together), the other nine 80 m² or 85 m². Two owners
 * are 18% of eleven.
 */
const AREAS = ['135.00', '135.00', '80.00', '80.00', '80.00', '80.00', '80.00', '80.00', '80.00', '85.00', '85.00'];

describe("owners' committee elections by the double majority, the party committee's rights, proxies and ballots that close themselves", () => {
  const system = new TestSystem();
  let admin: Client;
  let staff: Client;
  let secretary: Client;
  let base: string;
  let communityId: string;
  let units: { id: string; buildingId: string; gridId: string }[] = [];
  const owner = { personId: '', http: undefined as unknown as Client };
  const proxy = { personId: '', http: undefined as unknown as Client };
  const ownerKeys: string[] = [];

  async function resident(name: string, phone: string, unitId: string, relation: Relation) {
    const username = `${name.toLowerCase().replace(/\s+/g, '.')}.${system.id}`;
    const res = await admin.post(`${base}/residents`, { name, phone, unitId, relation, account: { username, password: 'governance-password-1' } });
    expect(res.status).toBe(201);
    const session = await client(system.baseUrl).post('/api/v1/auth/login', { username, password: 'governance-password-1' });
    return { personId: res.body.id as string, http: client(system.baseUrl, session.body.accessToken) };
  }

  /** The last event of a type on the domain stream, once it satisfies `match`. */
  async function lastEvent<T>(type: string, match: (data: T) => boolean): Promise<EventEnvelope<T>> {
    const nats = await connect({ servers: process.env.NATS_URL });
    try {
      const jsm = await nats.jetstreamManager();
      const codec = JSONCodec<EventEnvelope<T>>();
      return await eventually(async () => {
        const message = await jsm.streams.getMessage(DOMAIN_EVENTS_STREAM, { last_by_subj: type }).catch(() => undefined);
        const envelope = message && codec.decode(message.data);
        return envelope && match(envelope.data) && envelope;
      });
    } finally {
      await nats.close();
    }
  }

  /** An election whose candidates the party committee suggested and approved, published, past its notice, on an open ballot. */
  async function electionOnBallot(title: string, seats: number, names: string[]) {
    const created = await admin.post(`${base}/committee-elections`, { title, seats, checks: [] });
    expect(created.status).toBe(201);
    const path = `${base}/committee-elections/${created.body.id}`;
    const suggested = await secretary.post(`${path}/nomination-suggestions`, {
      candidates: names.map((name) => ({ personId: newId(), name })),
      reasons: 'Trusted in their buildings',
    });
    expect(suggested.status).toBe(201);
    const ids: Record<string, string> = Object.fromEntries(suggested.body.candidates.map((c: { id: string; name: string }) => [c.name, c.id]));
    for (const id of Object.values(ids)) {
      expect((await secretary.post(`${path}/candidates/${id}/review`, { approved: true, reasons: 'Qualified' })).status).toBe(200);
    }
    expect((await admin.post(`${path}/public-notice`, { noticeEndsAt: new Date(Date.now() + WEEK + 60_000).toISOString() })).status).toBe(200);
    // The week of public notice passes.
    await system.property!.get<Model<Election>>(getModelToken(Election.name)).updateOne(
      { _id: new Types.ObjectId(created.body.id) },
      { $set: { noticeEndsAt: new Date(Date.now() - 1000) } },
    );
    const started = await admin.post(`${path}/ballot`, { opensAt: new Date().toISOString(), closesAt: new Date(Date.now() + 3600_000).toISOString() });
    expect(started.status).toBe(201);
    const ballotPath = `${base}/ballots/${started.body.ballot.id}`;
    expect((await admin.post(`${ballotPath}/open`)).status).toBe(200);
    return { electionId: created.body.id as string, ballotPath, ids };
  }

  /** Paper ballots of all eleven owners: owner i votes for the candidates whose list has i, against the rest. */
  async function paperVotes(ballotPath: string, ids: Record<string, string>, supporters: Record<string, number[]>) {
    for (let i = 0; i < AREAS.length; i++) {
      const choices = Object.entries(ids).map(([name, candidateId]) => ({ candidateId, choice: supporters[name].includes(i) ? 'for' : 'against' }));
      const res = await admin.post(`${ballotPath}/paper-votes`, { unitId: units[i].id, choices, paperNumber: `P-${i}` });
      expect(res.status).toBe(201);
    }
    const closed = await admin.post(`${ballotPath}/close`);
    expect(closed.status).toBe(200);
    return closed.body;
  }

  beforeAll(async () => {
    // Ballots close themselves within a second of their closing time here.
    process.env.BALLOT_SWEEP_MS = '200';
    process.env.BALLOT_CLOSE_GRACE_MS = '500';
    await system.start();
    const session = await client(system.baseUrl).post('/api/v1/auth/login', ADMIN);
    admin = client(system.baseUrl, session.body.accessToken);
    communityId = (await admin.post('/api/v1/communities', { code: `GV${system.id}`, name: 'Governance', district: 'Xuhui District', street: 'Kangjian Street' })).body.id;
    base = `/api/v1/communities/${communityId}`;
    const area = await admin.post(`${base}/areas`, { code: 'A1', name: 'Area 1' });
    const grid = await admin.post(`${base}/grids`, { areaId: area.body.id, code: 'G01', name: 'Grid 1' });
    const bulk = await admin.post(`${base}/buildings/bulk`, { gridId: grid.body.id, buildings: [{ code: 'B1', floors: 3, unitsPerFloor: 4 }] });
    units = (await admin.get(`${base}/buildings/${bulk.body.buildings[0].id}/units?limit=20`)).body.items;

    Object.assign(owner, await resident('Lin Owner', '13600000001', units[0].id, Relation.Owner));
    Object.assign(proxy, await resident('Wang Proxy', '13600000002', units[11].id, Relation.Tenant));
    const member = await resident('Ma Secretary', '13600000003', units[11].id, Relation.Tenant);
    secretary = member.http;
    const body = await admin.post(`${base}/bodies`, { kind: BodyKind.PartyCommittee, name: 'Community party committee' });
    const appointed = await admin.post(`${base}/bodies/${body.body.id}/terms`, { personId: member.personId, position: PositionKind.Secretary, from: '2024-01-01' });
    expect(appointed.status).toBe(201);
    const staffName = `staff.${system.id}`;
    expect((await admin.post('/api/v1/accounts', { username: staffName, password: 'governance-password-1', name: 'Chen Staff', roles: [Role.CommunityStaff], communityIds: [communityId] })).status).toBe(201);
    staff = client(system.baseUrl, (await client(system.baseUrl).post('/api/v1/auth/login', { username: staffName, password: 'governance-password-1' })).body.accessToken);

    const publisher = system.property!.get(EventPublisher);
    for (const [i, exclusiveArea] of AREAS.entries()) {
      const voter = i === 0 ? owner.personId : newId();
      ownerKeys.push(voter);
      await publisher.publish(
        newEvent<OwnershipRecordedData>(
          MembershipOwnerEvents.ownershipRecorded,
          { unitId: units[i].id, buildingId: units[i].buildingId, gridId: units[i].gridId, exclusiveArea, areaSource: 'register', ownerPersonIds: [voter], voterPersonId: voter, headcountKey: voter, revision: 1 },
          { communityId, actor: 'membership', correlationId: `e2e-${i}` },
        ),
      );
    }
    await eventually(async () => (await admin.get(`${base}/owner-register/summary`)).body?.units === AREAS.length);
  });

  afterAll(async () => {
    await system.stop();
  });

  it("refuses the party committee's three rights to plain community staff and allows them to a member of the party committee", async () => {
    const created = await admin.post(`${base}/committee-elections`, { title: 'Rights check', seats: 3, checks: [] });
    const path = `${base}/committee-elections/${created.body.id}`;
    const nominated = await admin.post(`${path}/candidates`, { personId: newId(), name: 'Guo Wei', source: 'residents_committee_recommended' });
    expect(nominated.status).toBe(201);
    const attempts = [
      await staff.post(`${path}/nomination-suggestions`, { candidates: [{ personId: newId(), name: 'Xu' }], reasons: 'x' }),
      await staff.post(`${path}/composition-suggestions`, { partyMemberPercent: 50, reasons: 'x' }),
      await staff.post(`${path}/candidates/${nominated.body.id}/review`, { approved: true, reasons: 'x' }),
      await admin.post(`${path}/candidates/${nominated.body.id}/review`, { approved: true, reasons: 'x' }),
    ];
    expect(attempts.map((r) => [r.status, r.body.code])).toEqual(Array(4).fill([403, ErrorCode.FORBIDDEN]));
    expect((await admin.get(path)).body.partyRights).toEqual([]);

    expect((await secretary.post(`${path}/composition-suggestions`, { partyMemberPercent: 40, reasons: 'Engineers and a lawyer' })).status).toBe(201);
    const review = await secretary.post(`${path}/candidates/${nominated.body.id}/review`, { approved: true, reasons: 'Qualified' });
    expect(review.status).toBe(200);
    expect(review.body.review).toMatchObject({ right: 'qualification_review', approved: true });
  });

  it('refuses a public notice of twenty seconds with a stable code, and takes one of seven days', async () => {
    const created = await admin.post(`${base}/committee-elections`, { title: 'Notice check', seats: 3, checks: [] });
    const path = `${base}/committee-elections/${created.body.id}`;
    const suggested = await secretary.post(`${path}/nomination-suggestions`, {
      candidates: [{ personId: newId(), name: 'Qin' }, { personId: newId(), name: 'Shi' }],
      reasons: 'Volunteers',
    });
    for (const c of suggested.body.candidates) await secretary.post(`${path}/candidates/${c.id}/review`, { approved: true, reasons: 'Qualified' });
    const short = await admin.post(`${path}/public-notice`, { noticeEndsAt: new Date(Date.now() + 20_000).toISOString() });
    expect([short.status, short.body.code]).toEqual([422, ErrorCode.NOTICE_TOO_SHORT]);
    expect((await admin.get(path)).body.status).toBe('nominating');
    const week = await admin.post(`${path}/public-notice`, { noticeEndsAt: new Date(Date.now() + WEEK + 60_000).toISOString() });
    expect(week.status).toBe(200);
    expect(week.body).toMatchObject({ status: 'on_notice' });
    expect(Date.parse(week.body.noticeEndsAt) - Date.parse(week.body.publishedAt)).toBeGreaterThanOrEqual(WEEK);
  });

  it('seats nobody when the best candidate has 27% of the area and 18% of the owners who voted', async () => {
    const { electionId, ballotPath, ids } = await electionOnBallot('27 and 18', 3, ['Kong', 'Lu', 'Yan']);
    const sealed = await paperVotes(ballotPath, ids, { Kong: [0, 1], Lu: [2], Yan: [] });
    expect(sealed.result).toMatchObject({ quorumMet: true, outcome: 'not_carried', seats: { seats: 3, seatsFilled: 0, seatsEmpty: 3, elected: [] } });
    const kong = sealed.result.seats.candidates.find((c: { name: string }) => c.name === 'Kong');
    expect(kong).toMatchObject({ for: { owners: 2, area: '270.00' }, verdict: 'neither_over_half' });
    expect(kong.tests.map((t: { test: string; passed: boolean }) => [t.test, t.passed])).toEqual([
      ['approval_area', false],
      ['approval_owners', false],
    ]);
    const seat = await admin.post(`${base}/committee/terms/from-election`, { electionId, startsOn: '2030-01-01', endsOn: '2034-12-31', chairPersonId: newId() });
    expect([seat.status, seat.body.code]).toEqual([409, ErrorCode.INVALID_TRANSITION]);
    expect((await admin.get(`${base}/committee/terms`)).body.terms).toEqual([]);
  });

  it("seats the candidates with a double majority in order of owners' votes, leaves the other seat empty, and can void the term", async () => {
    const { electionId, ballotPath, ids } = await electionOnBallot('Double majority', 4, ['Pan', 'Qi', 'Ren', 'Su']);
    // Ren: 6 owners with 590 m²; Qi: 8 owners with 645 m²; Pan: 10 owners; Su: 4 owners, too few.
    const sealed = await paperVotes(ballotPath, ids, { Pan: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], Qi: [2, 3, 4, 5, 6, 7, 8, 9], Ren: [0, 1, 2, 3, 4, 5], Su: [0, 1, 2, 3] });
    expect(sealed.result).toMatchObject({ outcome: 'carried', channels: { paper: 11 }, seats: { seats: 4, seatsFilled: 3, seatsEmpty: 1 } });
    expect(sealed.result.seats.elected).toEqual([ids.Pan, ids.Qi, ids.Ren]);
    expect(sealed.result.seats.candidates.map((c: { name: string; verdict: string; rank?: number }) => [c.name, c.verdict, c.rank])).toEqual([
      ['Pan', 'elected', 1],
      ['Qi', 'elected', 2],
      ['Ren', 'elected', 3],
      ['Su', 'neither_over_half', undefined],
    ]);
    const personOf = Object.fromEntries(sealed.result.seats.candidates.map((c: { name: string; personId: string }) => [c.name, c.personId]));
    const seated = await admin.post(`${base}/committee/terms/from-election`, {
      electionId,
      startsOn: '2030-01-01',
      endsOn: '2034-12-31',
      chairPersonId: personOf.Qi,
    });
    expect(seated.status).toBe(201);
    expect(seated.body).toMatchObject({ source: 'election', seatsEmpty: 1 });
    expect(seated.body.members.map((m: { name: string; role: string; votes: { owners: number } }) => [m.name, m.role, m.votes.owners])).toEqual([
      ['Qi', 'chair', 8],
      ['Pan', 'member', 10],
      ['Ren', 'member', 6],
    ]);
    const event = await lastEvent<{ termId: string; electionId: string; seatsEmpty: number }>(PropertyEvents.termSeated.type, (d) => d.termId === seated.body.id);
    expect(event).toMatchObject({ communityId, data: { electionId, seatsEmpty: 1, memberPersonIds: [personOf.Pan, personOf.Qi, personOf.Ren] } });

    const voided = await admin.post(`${base}/committee/terms/${seated.body.id}/void`, { reason: 'Paper ballots of building 1 were counted twice' });
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({ status: 'voided', voided: { reason: 'Paper ballots of building 1 were counted twice' } });
    const again = await admin.post(`${base}/committee/terms/${seated.body.id}/void`, { reason: 'x' });
    expect([again.status, again.body.code]).toEqual([409, ErrorCode.DUPLICATE]);
    expect((await owner.http.post(`${base}/committee/terms/${seated.body.id}/void`, { reason: 'x' })).status).toBe(403);
    expect((await owner.http.get(`${base}/committee`)).body.term).toBeUndefined();
    const voidEvent = await lastEvent<{ termId: string }>(PropertyEvents.termVoided.type, (d) => d.termId === seated.body.id);
    expect(voidEvent.data).toMatchObject({ number: seated.body.number, electionId, reason: 'Paper ballots of building 1 were counted twice' });
    const paper = await lastEvent<{ ballotId: string; ownerKey: string; unitId: string }>(PropertyEvents.paperVoteRecorded.type, (d) => ballotPath.endsWith(d.ballotId));
    expect(paper.data).toMatchObject({ ownerKey: ownerKeys[10], unitId: units[10].id, paperNumber: 'P-10' });
  });

  it('counts a proxy vote once, refuses the second of owner and proxy, and closes the ballot by itself at closesAt', async () => {
    const closesAt = Date.now() + 8000;
    const created = await admin.post(`${base}/ballots`, {
      title: 'Renew the lift maintenance contract',
      matter: 'other_major_matter',
      options: ['for', 'against'],
      opensAt: new Date().toISOString(),
      closesAt: new Date(closesAt).toISOString(),
    });
    const path = `${base}/ballots/${created.body.id}`;
    expect((await admin.post(`${path}/open`)).status).toBe(200);
    const authorisation = (unit: number) => ({ unitId: units[unit].id, proxyPersonId: proxy.personId, proxyName: 'Wang Proxy', authorisation: `Signed authorisation no. ${unit}` });

    const forOwner = await admin.post(`${path}/proxies`, authorisation(0));
    expect(forOwner.status).toBe(201);
    expect((await staff.post(`${path}/proxies`, authorisation(0))).body.code).toBe(ErrorCode.DUPLICATE);
    expect((await owner.http.post(`${path}/votes`, { option: 'for' })).status).toBe(201);
    const late = await proxy.http.post(`${path}/votes`, { option: 'against', ownerKey: owner.personId });
    expect([late.status, late.body.code]).toEqual([409, ErrorCode.DUPLICATE]);

    const forNeighbour = await admin.post(`${path}/proxies`, authorisation(1));
    expect(forNeighbour.body).toMatchObject({ status: 'active', ownerKey: ownerKeys[1] });
    const byProxy = await proxy.http.post(`${path}/votes`, { option: 'for', ownerKey: ownerKeys[1] });
    expect(byProxy.status).toBe(201);
    expect(byProxy.body).toMatchObject({ channel: 'proxy', ownerKey: ownerKeys[1], proxyId: forNeighbour.body.id });
    const twice = await proxy.http.post(`${path}/votes`, { option: 'against', ownerKey: ownerKeys[1] });
    expect([twice.status, twice.body.code]).toEqual([409, ErrorCode.DUPLICATE]);
    const revoke = await admin.post(`${path}/proxies/${forNeighbour.body.id}/revoke`, { reason: 'Too late' });
    expect([revoke.status, revoke.body.code]).toEqual([409, ErrorCode.INVALID_TRANSITION]);

    const revocable = await admin.post(`${path}/proxies`, authorisation(2));
    expect((await admin.post(`${path}/proxies/${revocable.body.id}/revoke`, { reason: 'The owner will vote in person' })).body.status).toBe('revoked');
    const revoked = await proxy.http.post(`${path}/votes`, { option: 'for', ownerKey: ownerKeys[2] });
    expect(revoked.status).toBe(403);
    await lastEvent<{ proxyId: string }>(PropertyEvents.proxyRecorded.type, (d) => d.proxyId === revocable.body.id);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, closesAt - Date.now() + 50)));
    const after = await admin.post(`${path}/paper-votes`, { unitId: units[3].id, option: 'for' });
    expect([after.status, after.body.code]).toEqual([409, ErrorCode.OUTSIDE_WINDOW]);
    await eventually(async () => (await admin.get(path)).body.status === 'closed');
    const result = await owner.http.get(`${path}/result`);
    expect(result.status).toBe(200);
    expect(result.body.result).toMatchObject({ outcome: 'no_quorum', channels: { online: 1, paper: 0, proxy: 1 } });
    expect((await owner.http.post(`${path}/votes`, { option: 'for' })).body.code).toBe(ErrorCode.OUTSIDE_WINDOW);
    const closed = await lastEvent<{ ballotId: string }>(PropertyEvents.ballotClosed.type, (d) => d.ballotId === created.body.id);
    expect(closed).toMatchObject({ communityId, data: { closedBy: 'schedule', votesCounted: 2, channels: { proxy: 1 }, recordHash: result.body.recordHash } });
    const opened = await lastEvent<{ ballotId: string }>(PropertyEvents.ballotOpened.type, (d) => d.ballotId === created.body.id);
    expect(opened.data).toMatchObject({ electorate: { owners: 11, area: '1000.00' } });
  });
});
