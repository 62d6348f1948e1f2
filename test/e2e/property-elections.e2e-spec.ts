import { getModelToken } from '@nestjs/mongoose';
import { BodyKind, ErrorCode, MembershipOwnerEvents, OwnershipRecordedData, PositionKind, Relation, newEvent } from '@cg/contracts';
import { EventPublisher } from '@cg/messaging';
import { eventually } from '@cg/testing';
import { Model, Types } from 'mongoose';
import { Election } from '../../apps/property/src/elections/election.schema';
import { ADMIN, TestSystem, client } from './support/system';

type Client = ReturnType<typeof client>;

describe("the owners' committee election and the party committee's three rights, through the gateway", () => {
  const system = new TestSystem();
  let admin: Client;
  let communityId: string;
  let path: string;
  const people: Record<'chen' | 'gao' | 'he' | 'ma', { personId: string; http: Client }> = {} as never;
  /** Ma holds a position in the community party committee, which exercises the three rights. */
  let party: Client;
  const units: { id: string; buildingId: string; gridId: string }[] = [];
  const candidates: Record<string, string> = {};

  async function resident(key: keyof typeof people, unit: { id: string }, phone: string, relation: Relation): Promise<void> {
    const username = `${key}.${system.id}`;
    const res = await admin.post(`/api/v1/communities/${communityId}/residents`, {
      name: key,
      phone,
      unitId: unit.id,
      relation,
      account: { username, password: 'resident-password-1' },
    });
    expect(res.status).toBe(201);
    const session = await client(system.baseUrl).post('/api/v1/auth/login', { username, password: 'resident-password-1' });
    people[key] = { personId: res.body.id, http: client(system.baseUrl, session.body.accessToken) };
  }

  const ownership = (unit: (typeof units)[number], personId: string) =>
    newEvent<OwnershipRecordedData>(
      MembershipOwnerEvents.ownershipRecorded,
      { unitId: unit.id, buildingId: unit.buildingId, gridId: unit.gridId, exclusiveArea: '88.00', areaSource: 'register', ownerPersonIds: [personId], voterPersonId: personId, headcountKey: personId, revision: 1 },
      { communityId, actor: 'membership', correlationId: `e2e-${unit.id}` },
    );

  beforeAll(async () => {
    await system.start();
    const session = await client(system.baseUrl).post('/api/v1/auth/login', ADMIN);
    admin = client(system.baseUrl, session.body.accessToken);
    communityId = (await admin.post('/api/v1/communities', { code: `E${system.id}`, name: 'Election Community', district: 'Xuhui District', street: 'Kangjian Street' })).body.id;
    const base = `/api/v1/communities/${communityId}`;
    const area = await admin.post(`${base}/areas`, { code: 'A1', name: 'Area 1' });
    const grid = await admin.post(`${base}/grids`, { areaId: area.body.id, code: 'G01', name: 'Grid 1' });
    const bulk = await admin.post(`${base}/buildings/bulk`, { gridId: grid.body.id, buildings: [{ code: 'B1', floors: 2, unitsPerFloor: 2 }] });
    units.push(...(await admin.get(`${base}/buildings/${bulk.body.buildings[0].id}/units?limit=10`)).body.items);
    await resident('chen', units[0], '13700000001', Relation.Owner);
    await resident('gao', units[1], '13700000002', Relation.Owner);
    await resident('he', units[2], '13700000003', Relation.Tenant);
    await resident('ma', units[3], '13700000004', Relation.Tenant);
    party = people.ma.http;
    const body = await admin.post(`${base}/bodies`, { kind: BodyKind.PartyCommittee, name: 'Community party committee' });
    await admin.post(`${base}/bodies/${body.body.id}/terms`, { personId: people.ma.personId, position: PositionKind.Member, from: '2024-01-01' });
    // Chen and Gao are owners of record; He rents.
    const publisher = system.property!.get(EventPublisher);
    await publisher.publish(ownership(units[0], people.chen.personId));
    await publisher.publish(ownership(units[1], people.gao.personId));
    await eventually(async () => (await admin.get(`${base}/owner-register/summary`)).body?.units === 2);
    path = `${base}/committee-elections`;
  });

  afterAll(async () => {
    await system.stop();
  });

  it('opens the election with all four eligibility checks', async () => {
    const res = await admin.post(path, { title: "Election of the 3rd owners' committee", seats: 5 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'nominating', checks: ['owner_of_record', 'lives_in_community', 'no_fee_arrears', 'no_relative_at_property_company'] });
    path = `${path}/${res.body.id}`;
  });

  it('takes a self-nomination, the party nomination suggestion, a residents’ committee recommendation and a composition suggestion', async () => {
    const self = await people.chen.http.post(`${path}/candidates`, {
      personId: people.chen.personId,
      name: 'Chen Hao',
      source: 'self_nominated',
      background: 'Structural engineer',
      feeArrears: false,
      relativeAtPropertyCompany: false,
    });
    expect(self.status).toBe(201);
    expect(self.body).toMatchObject({ source: 'self_nominated', eligible: true });
    candidates.chen = self.body.id;
    const notSelf = await people.he.http.post(`${path}/candidates`, { personId: people.chen.personId, name: 'Chen Hao', source: 'self_nominated' });
    expect(notSelf.status).toBe(403);
    const byResident = await people.he.http.post(`${path}/nomination-suggestions`, { candidates: [{ personId: people.he.personId, name: 'He' }], reasons: 'x' });
    expect(byResident.status).toBe(403);

    const byStaff = await admin.post(`${path}/nomination-suggestions`, { candidates: [{ personId: people.he.personId, name: 'He' }], reasons: 'x' });
    expect([byStaff.status, byStaff.body.code]).toEqual([403, ErrorCode.FORBIDDEN]);
    const suggestion = await party.post(`${path}/nomination-suggestions`, {
      candidates: [{ personId: people.gao.personId, name: 'Gao Lin', partyMember: true, feeArrears: false, relativeAtPropertyCompany: false }],
      reasons: 'Building leader trusted by her neighbours for six years',
    });
    expect(suggestion.status).toBe(201);
    candidates.gao = suggestion.body.candidates.find((c: { personId: string }) => c.personId === people.gao.personId).id;
    const recommended = await admin.post(`${path}/candidates`, { personId: people.he.personId, name: 'He Jun', source: 'residents_committee_recommended', feeArrears: true });
    expect(recommended.status).toBe(201);
    candidates.he = recommended.body.id;
    const again = await admin.post(`${path}/candidates`, { personId: people.he.personId, name: 'He Jun', source: 'residents_committee_recommended' });
    expect([again.status, again.body.code]).toEqual([409, ErrorCode.DUPLICATE]);

    const composition = await party.post(`${path}/composition-suggestions`, {
      partyMemberPercent: 50,
      backgrounds: ['engineering', 'law'],
      reasons: 'The committee will renegotiate the lift maintenance contract',
    });
    expect(composition.status).toBe(201);
  });

  it('shows the reviewer an ineligible candidate as such, refuses to approve him, and records one review per candidate', async () => {
    const election = await admin.get(path);
    const he = election.body.candidates.find((c: { id: string }) => c.id === candidates.he);
    expect(he.eligible).toBe(false);
    expect(Object.fromEntries(he.checks.map((c: { check: string; outcome: string }) => [c.check, c.outcome]))).toEqual({
      owner_of_record: 'failed',
      lives_in_community: 'passed',
      no_fee_arrears: 'failed',
      no_relative_at_property_company: 'unknown',
    });

    expect(he.checks.map((c: { check: string; basis: string }) => c.basis)).toEqual(['record', 'record', 'declared', 'declared']);
    const approveHe = await party.post(`${path}/candidates/${candidates.he}/review`, { approved: true, reasons: 'x' });
    expect([approveHe.status, approveHe.body.code]).toEqual([403, ErrorCode.NOT_ELIGIBLE]);
    const rejectHe = await party.post(`${path}/candidates/${candidates.he}/review`, { approved: false, reasons: 'Not an owner of record and owes fees' });
    expect(rejectHe.status).toBe(200);
    expect(rejectHe.body.review).toMatchObject({ right: 'qualification_review', approved: false, reasons: 'Not an owner of record and owes fees' });

    const reviews = await Promise.all([
      party.post(`${path}/candidates/${candidates.chen}/review`, { approved: true, reasons: 'All checks passed' }),
      party.post(`${path}/candidates/${candidates.chen}/review`, { approved: true, reasons: 'All checks passed' }),
    ]);
    expect(reviews.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await party.post(`${path}/candidates/${candidates.gao}/review`, { approved: true, reasons: 'All checks passed' })).status).toBe(200);
  });

  it('records all three rights with who, when and reasons', async () => {
    const election = await admin.get(path);
    const rights = election.body.partyRights as { right: string; by: string; at: string; reasons: string; candidateId?: string; checksShown?: unknown[] }[];
    expect(rights.map((r) => r.right).sort()).toEqual([
      'composition_suggestion',
      'nomination_suggestion',
      'qualification_review',
      'qualification_review',
      'qualification_review',
    ]);
    for (const right of rights) {
      expect(right.by).toBeTruthy();
      expect(Number.isNaN(Date.parse(right.at))).toBe(false);
      expect(right.reasons.length).toBeGreaterThan(0);
    }
    expect(rights.find((r) => r.right === 'composition_suggestion')).toMatchObject({ partyMemberPercent: 50, backgrounds: ['engineering', 'law'] });
    expect(rights.find((r) => r.candidateId === candidates.he)!.checksShown).toHaveLength(4);
  });

  it('publishes the approved candidates for a week of public notice, then runs the election as an assembly ballot', async () => {
    const tooShort = await admin.post(`${path}/public-notice`, { noticeEndsAt: new Date(Date.now() + 1500).toISOString() });
    expect([tooShort.status, tooShort.body.code]).toEqual([422, ErrorCode.NOTICE_TOO_SHORT]);
    const noticeEndsAt = new Date(Date.now() + 7 * 86_400_000 + 60_000).toISOString();
    const published = await admin.post(`${path}/public-notice`, { noticeEndsAt });
    expect(published.status).toBe(200);
    expect(published.body.status).toBe('on_notice');
    expect([...published.body.publishedCandidateIds].sort()).toEqual([candidates.chen, candidates.gao].sort());
    const late = await people.he.http.post(`${path}/candidates`, { personId: people.he.personId, name: 'He', source: 'self_nominated' });
    expect([late.status, late.body.code]).toEqual([409, ErrorCode.INVALID_TRANSITION]);

    const period = { opensAt: new Date().toISOString(), closesAt: new Date(Date.now() + 14 * 86_400_000).toISOString() };
    const early = await admin.post(`${path}/ballot`, period);
    expect([early.status, early.body.code]).toEqual([409, ErrorCode.OUTSIDE_WINDOW]);
    // The week passes.
    await system.property!.get<Model<Election>>(getModelToken(Election.name)).updateOne(
      { _id: new Types.ObjectId(path.split('/').pop()) },
      { $set: { noticeEndsAt: new Date(Date.now() - 1000) } },
    );
    const started = await admin.post(`${path}/ballot`, period);
    expect(started.status).toBe(201);
    expect(started.body.ballot).toMatchObject({ matter: 'committee_election', majority: 'ordinary', status: 'draft', seats: 5 });
    expect(started.body.ballot.candidates.map((c: { name: string }) => c.name).sort()).toEqual(['Chen Hao', 'Gao Lin']);
    expect(started.body.election).toMatchObject({ status: 'balloting', ballotId: started.body.ballot.id });
    const ballot = await admin.get(`/api/v1/communities/${communityId}/ballots/${started.body.ballot.id}`);
    expect(ballot.status).toBe(200);
  });
});
