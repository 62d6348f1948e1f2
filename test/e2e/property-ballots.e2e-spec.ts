import { ErrorCode, MembershipOwnerEvents, OwnershipRecordedData, Relation, newEvent } from '@cg/contracts';
import { EventPublisher } from '@cg/messaging';
import { eventually } from '@cg/testing';
import { Types } from 'mongoose';
import { ADMIN, TestSystem, client } from './support/system';

type Client = ReturnType<typeof client>;

describe("owners' assembly ballots through the gateway", () => {
  const system = new TestSystem();
  let admin: Client;
  let communityId: string;
  let ballotsPath: string;
  const owners: Record<'o1' | 'o2' | 'o3' | 'late', { personId: string; http: Client }> = {} as never;
  const units: Record<string, { id: string; buildingId: string; gridId: string }> = {};
  const developerVoter = new Types.ObjectId().toHexString();
  const hour = 3600_000;

  async function resident(name: string, phone: string, unitCode: string, key: keyof typeof owners): Promise<void> {
    const username = `${name.toLowerCase().replace(/\s+/g, '.')}.${system.id}`;
    const res = await admin.post(`/api/v1/communities/${communityId}/residents`, {
      name,
      phone,
      unitId: units[unitCode].id,
      relation: Relation.Owner,
      account: { username, password: 'owner-password-1' },
    });
    expect(res.status).toBe(201);
    const login = await client(system.baseUrl).post('/api/v1/auth/login', { username, password: 'owner-password-1' });
    owners[key] = { personId: res.body.id, http: client(system.baseUrl, login.body.accessToken) };
  }

  function ownership(unitCode: string, area: string, voterPersonId: string, headcountKey: string) {
    const unit = units[unitCode];
    return newEvent<OwnershipRecordedData>(
      MembershipOwnerEvents.ownershipRecorded,
      {
        unitId: unit.id,
        buildingId: unit.buildingId,
        gridId: unit.gridId,
        exclusiveArea: area,
        areaSource: 'register',
        ownerPersonIds: [voterPersonId],
        voterPersonId,
        headcountKey,
        revision: 1,
      },
      { communityId, actor: 'membership', correlationId: `e2e-${unitCode}` },
    );
  }

  const period = (fromMs: number, toMs: number) => ({
    opensAt: new Date(Date.now() + fromMs).toISOString(),
    closesAt: new Date(Date.now() + toMs).toISOString(),
  });

  beforeAll(async () => {
    await system.start();
    const login = await client(system.baseUrl).post('/api/v1/auth/login', ADMIN);
    admin = client(system.baseUrl, login.body.accessToken);
    const community = await admin.post('/api/v1/communities', { code: `P${system.id}`, name: 'Ballot Community', district: 'Xuhui District', street: 'Kangjian Street' });
    communityId = community.body.id;
    ballotsPath = `/api/v1/communities/${communityId}/ballots`;
    const area = await admin.post(`/api/v1/communities/${communityId}/areas`, { code: 'A1', name: 'Area 1' });
    const grid = await admin.post(`/api/v1/communities/${communityId}/grids`, { areaId: area.body.id, code: 'G01', name: 'Grid 1' });
    const bulk = await admin.post(`/api/v1/communities/${communityId}/buildings/bulk`, {
      gridId: grid.body.id,
      buildings: [
        { code: 'B1', floors: 2, unitsPerFloor: 2 },
        { code: 'B2', floors: 2, unitsPerFloor: 2 },
      ],
    });
    for (const building of bulk.body.buildings) {
      const list = await admin.get(`/api/v1/communities/${communityId}/buildings/${building.id}/units?limit=10`);
      for (const unit of list.body.items) units[`${building.code}-${unit.code}`] = unit;
    }
    await resident('Owner One', '13800000001', 'B1-101', 'o1');
    await resident('Owner Two', '13800000002', 'B1-102', 'o2');
    await resident('Owner Three', '13800000003', 'B1-201', 'o3');
    await resident('Late Owner', '13800000004', 'B1-202', 'late');

    // Membership's ownership events as it publishes them: one buyer of two units, two single owners, the developer's unsold units.
    const publisher = system.property!.get(EventPublisher);
    for (const event of [
      ownership('B1-101', '100.00', owners.o1.personId, owners.o1.personId),
      ownership('B2-101', '50.00', owners.o1.personId, owners.o1.personId),
      ownership('B1-102', '80.00', owners.o2.personId, owners.o2.personId),
      ownership('B1-201', '70.00', owners.o3.personId, owners.o3.personId),
      ownership('B2-102', '60.00', developerVoter, 'developer'),
      ownership('B2-201', '60.00', developerVoter, 'developer'),
    ]) {
      await publisher.publish(event);
    }
    const summary = await eventually(async () => {
      const res = await admin.get(`/api/v1/communities/${communityId}/owner-register/summary`);
      return res.body?.units === 6 && res.body;
    });
    expect(summary).toEqual({ communityId, units: 6, owners: 4, totalArea: '420.00' });
  });

  afterAll(async () => {
    await system.stop();
  });

  describe('an ordinary matter from opening to the sealed tally', () => {
    let ballotId: string;

    it('creates the ballot as ordinary and opens it with the electorate frozen', async () => {
      const created = await admin.post(ballotsPath, {
        title: 'Renew the contract of the property company',
        matter: 'property_company_hiring',
        options: ['for', 'against', 'abstain'],
        ...period(-hour, 24 * hour),
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'draft', majority: 'ordinary' });
      ballotId = created.body.id;

      const opened = await admin.post(`${ballotsPath}/${ballotId}/open`);
      expect(opened.status).toBe(200);
      expect(opened.body).toMatchObject({ status: 'open', electorate: { owners: 4, units: 6, area: '420.00' } });
    });

    it("takes an owner's vote once and refuses the second with DUPLICATE", async () => {
      const first = await owners.o1.http.post(`${ballotsPath}/${ballotId}/votes`, { option: 'for' });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ option: 'for', channel: 'online', area: '150.00' });
      const second = await owners.o1.http.post(`${ballotsPath}/${ballotId}/votes`, { option: 'against' });
      expect(second.status).toBe(409);
      expect(second.body.code).toBe(ErrorCode.DUPLICATE);
    });

    it('counts exactly one of several votes for the same owner sent at once, online and on paper', async () => {
      const results = await Promise.all([
        owners.o2.http.post(`${ballotsPath}/${ballotId}/votes`, { option: 'for' }),
        owners.o2.http.post(`${ballotsPath}/${ballotId}/votes`, { option: 'for' }),
        admin.post(`${ballotsPath}/${ballotId}/paper-votes`, { unitId: units['B1-102'].id, option: 'for', paperNumber: 'P-17' }),
      ]);
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      const refused = results.filter((r) => r.status !== 201);
      expect(refused.map((r) => [r.status, r.body.code])).toEqual([
        [409, ErrorCode.DUPLICATE],
        [409, ErrorCode.DUPLICATE],
      ]);
    });

    it('refuses a resident who is not an owner of record', async () => {
      const res = await owners.late.http.post(`${ballotsPath}/${ballotId}/votes`, { option: 'for' });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe(ErrorCode.NOT_ELIGIBLE);
    });

    it('shows participation progress and will not close before every owner voted or the period ended', async () => {
      const progress = await admin.get(`${ballotsPath}/${ballotId}/progress`);
      expect(progress.status).toBe(200);
      expect(progress.body.overall).toMatchObject({ ownersVoted: 2, owners: 4, areaVoted: '230.00', area: '420.00' });
      expect(progress.body.buildings).toHaveLength(2);
      const early = await admin.post(`${ballotsPath}/${ballotId}/close`);
      expect(early.status).toBe(409);
      expect(early.body.code).toBe(ErrorCode.OUTSIDE_WINDOW);
    });

    it('closes once every owner has voted and reports each test of the double majority', async () => {
      expect((await owners.o3.http.post(`${ballotsPath}/${ballotId}/votes`, { option: 'against' })).status).toBe(201);
      expect((await admin.post(`${ballotsPath}/${ballotId}/paper-votes`, { unitId: units['B2-201'].id, option: 'for' })).status).toBe(201);

      const closed = await admin.post(`${ballotsPath}/${ballotId}/close`);
      expect(closed.status).toBe(200);
      const { result } = closed.body;
      expect(result.quorum.map((t: { test: string; value: string; base: string; passed: boolean }) => [t.test, t.value, t.base, t.passed])).toEqual([
        ['participation_area', '420.00', '420.00', true],
        ['participation_owners', '4', '4', true],
      ]);
      expect(result.options[0]).toEqual({
        option: 'for',
        area: '350.00',
        owners: 3,
        carried: true,
        tests: [
          { test: 'approval_area', unit: 'm2', value: '350.00', base: '420.00', threshold: 'more than 1/2', required: '210.01', passed: true },
          { test: 'approval_owners', unit: 'owners', value: '3', base: '4', threshold: 'more than 1/2', required: '3', passed: true },
        ],
      });
      expect(result).toMatchObject({ outcome: 'carried', carriedOption: 'for' });
      expect(closed.body.recordHash).toMatch(/^[0-9a-f]{64}$/);

      const again = await owners.o1.http.get(`${ballotsPath}/${ballotId}/result`);
      expect(again.body).toEqual(closed.body);
    });

    it('lets an owner verify the sealed record', async () => {
      const res = await owners.o3.http.get(`${ballotsPath}/${ballotId}/result/verification`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ballotId, valid: true, electorateMatches: true, votesMatch: true, resultMatches: true });
      expect(res.body.recomputedRecordHash).toBe(res.body.recordHash);
    });

    it('refuses votes after the ballot closed', async () => {
      const res = await owners.o1.http.post(`${ballotsPath}/${ballotId}/votes`, { option: 'for' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe(ErrorCode.OUTSIDE_WINDOW);
    });
  });

  it('refuses a vote before the voting period starts', async () => {
    const created = await admin.post(ballotsPath, {
      title: 'Raise the maintenance fund',
      matter: 'maintenance_fund_raising',
      options: ['for', 'against'],
      ...period(2 * hour, 48 * hour),
    });
    expect(created.body.majority).toBe('special');
    expect((await admin.post(`${ballotsPath}/${created.body.id}/open`)).status).toBe(200);
    const res = await owners.o1.http.post(`${ballotsPath}/${created.body.id}/votes`, { option: 'for' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe(ErrorCode.OUTSIDE_WINDOW);
  });

  it('refuses another community, and ballot administration to owners', async () => {
    const other = await owners.o1.http.get('/api/v1/communities/0123456789abcdef01234567/ballots');
    expect(other.status).toBe(403);
    const create = await owners.o1.http.post(ballotsPath, { title: 'x', matter: 'other_major_matter', options: ['a', 'b'], ...period(0, hour) });
    expect(create.status).toBe(403);
    const list = await owners.o1.http.get(ballotsPath);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(2);
  });

  it('rejects an unknown matter and a period that ends before it starts', async () => {
    const bad = await admin.post(ballotsPath, { title: 'x', matter: 'lottery', options: ['a'], opensAt: 'soon', closesAt: 'later' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['matter', 'options', 'opensAt', 'closesAt']));
    const backwards = await admin.post(ballotsPath, { title: 'x', matter: 'other_major_matter', options: ['a', 'b'], ...period(2 * hour, hour) });
    expect(backwards.status).toBe(400);
  });

  it('documents the ballot routes in OpenAPI', async () => {
    const doc = await client(system.baseUrl).get('/docs-json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/communities/{communityId}/ballots',
        '/api/v1/communities/{communityId}/ballots/{ballotId}/votes',
        '/api/v1/communities/{communityId}/ballots/{ballotId}/paper-votes',
        '/api/v1/communities/{communityId}/ballots/{ballotId}/close',
        '/api/v1/communities/{communityId}/ballots/{ballotId}/result/verification',
        '/api/v1/communities/{communityId}/owner-register/summary',
      ]),
    );
  });
});
