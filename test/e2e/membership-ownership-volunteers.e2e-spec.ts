import {
  ActivitiesEvents,
  ErrorCode,
  EventEnvelope,
  Headers,
  MembershipOwnerEvents,
  OwnershipRecordedData,
  Relation,
  newEvent,
} from '@cg/contracts';
import { eventually } from '@cg/testing';
import { JSONCodec, headers } from 'nats';
import { DurableConsumers, NatsConnection } from '@cg/messaging';
import { ADMIN, TestSystem, client } from './support/system';

describe('owners of record and the volunteer ledger through the gateway', () => {
  const system = new TestSystem();
  let admin: ReturnType<typeof client>;
  let token: string;
  let communityId: string;
  let gridId: string;
  let buildings: { id: string; code: string }[];
  const units: string[] = [];
  const people: Record<string, string> = {};
  const recorded: EventEnvelope<OwnershipRecordedData>[] = [];

  const put = async (path: string, body: unknown, bearer = token) => {
    const response = await fetch(`${system.baseUrl}${path}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const base = () => `/api/v1/communities/${communityId}`;

  beforeAll(async () => {
    await system.start();
    await system.membership!.get(DurableConsumers).start({
      durable: `e2e-owner-register-${system.id}`,
      event: MembershipOwnerEvents.ownershipRecorded,
      handle: async (event) => void recorded.push(event),
    });
    const login = await client(system.baseUrl).post('/api/v1/auth/login', ADMIN);
    token = login.body.accessToken;
    admin = client(system.baseUrl, token);
    const community = await admin.post('/api/v1/communities', {
      code: `O${system.id}`,
      name: 'K',
      district: 'Xuhui',
      street: 'Kangjian',
    });
    communityId = community.body.id;
    const area = await admin.post(`${base()}/areas`, { code: 'A1', name: 'Area 1' });
    const grid = await admin.post(`${base()}/grids`, { areaId: area.body.id, code: 'G01', name: 'Grid 1' });
    gridId = grid.body.id;
    const bulk = await admin.post(`${base()}/buildings/bulk`, {
      gridId,
      buildings: [
        { code: 'B001', floors: 2, unitsPerFloor: 2 },
        { code: 'B002', floors: 2, unitsPerFloor: 2 },
      ],
    });
    buildings = bulk.body.buildings;
    for (const building of buildings) {
      const page = await admin.get(`${base()}/buildings/${building.id}/units`);
      units.push(...page.body.items.map((u: { id: string }) => u.id));
    }
    const residents: [string, number, Relation][] = [
      ['Buyer Wang', 0, Relation.Owner],
      ['Co-owner Li', 2, Relation.Owner],
      ['Co-owner Zhou', 2, Relation.Owner],
      ['Volunteer Chen', 4, Relation.Tenant],
    ];
    for (const [i, [name, unit, relation]] of residents.entries()) {
      const res = await admin.post(`${base()}/residents`, {
        name,
        phone: `1380000${String(1000 + i)}`,
        unitId: units[unit],
        relation,
      });
      expect(res.status).toBe(201);
      people[name] = res.body.id;
    }
  });

  afterAll(async () => {
    await system.stop();
  });

  it("records a buyer of three units, co-owners with a designated voter, and the developer's unsold units", async () => {
    const buyer = people['Buyer Wang'];
    for (const [unit, area] of [
      [0, '89.50'],
      [1, '120.01'],
      [3, '75.3'],
    ] as const) {
      const res = await put(`${base()}/units/${units[unit]}/ownership`, {
        ownerPersonIds: [buyer],
        registerArea: area,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        voterPersonId: buyer,
        areaSource: 'register',
        revision: 1,
        owners: [{ personId: buyer, name: 'Buyer Wang' }],
      });
    }
    const couple = await put(`${base()}/units/${units[2]}/ownership`, {
      ownerPersonIds: [people['Co-owner Li'], people['Co-owner Zhou']],
      voterPersonId: people['Co-owner Zhou'],
      surveyedArea: '100.33',
      contractArea: '101',
    });
    expect(couple.status).toBe(200);
    expect(couple.body).toMatchObject({
      exclusiveArea: '100.33',
      areaSource: 'surveyed',
      voterPersonId: people['Co-owner Zhou'],
    });
    for (const unit of [5, 6, 7]) {
      const res = await put(`${base()}/units/${units[unit]}/ownership`, {
        ownerPersonIds: [],
        heldByDeveloper: true,
        contractArea: '70.10',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        headcountKey: 'developer',
        voterPersonId: 'developer',
        areaSource: 'contract',
      });
    }

    const counts = await admin.get(`${base()}/owners/counts`);
    expect(counts.status).toBe(200);
    // 89.50 + 120.01 + 75.30 + 100.33 + 3 × 70.10
    expect(counts.body).toEqual({ units: 7, owners: 3, totalArea: '595.44' });
  });

  it('refuses co-owners without one designated voter, and an owner who is not a resident', async () => {
    const noVoter = await put(`${base()}/units/${units[4]}/ownership`, {
      ownerPersonIds: [people['Co-owner Li'], people['Co-owner Zhou']],
      registerArea: '80',
    });
    expect(noVoter.status).toBe(400);
    expect(noVoter.body.errors).toEqual([expect.objectContaining({ field: 'voterPersonId' })]);
    const stranger = await put(`${base()}/units/${units[4]}/ownership`, {
      ownerPersonIds: ['0123456789abcdef01234567'],
      registerArea: '80',
    });
    expect(stranger.status).toBe(404);
    expect(stranger.body.code).toBe(ErrorCode.RESIDENT_NOT_FOUND);
    const noUnit = await put(`${base()}/units/0123456789abcdef01234567/ownership`, {
      ownerPersonIds: [people['Buyer Wang']],
      registerArea: '80',
    });
    expect(noUnit.status).toBe(404);
    expect(noUnit.body.code).toBe(ErrorCode.UNIT_NOT_FOUND);
  });

  it.each([['-5'], ['0'], ['0.00'], ['12.345'], ['abc'], ['1e3']])(
    'refuses the area %s with 400 and stores nothing',
    async (area) => {
      const res = await put(`${base()}/units/${units[4]}/ownership`, {
        ownerPersonIds: [people['Volunteer Chen']],
        registerArea: area,
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(ErrorCode.VALIDATION_FAILED);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'registerArea' })]);
      const stored = await admin.get(`${base()}/units/${units[4]}/ownership`);
      expect(stored.status).toBe(404);
    },
  );

  it('refuses a unit without any area', async () => {
    const res = await put(`${base()}/units/${units[4]}/ownership`, {
      ownerPersonIds: [people['Volunteer Chen']],
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(ErrorCode.VALIDATION_FAILED);
  });

  it('raises the revision on a change, not on a repeat, and publishes the full state of each revision', async () => {
    const changed = await put(`${base()}/units/${units[0]}/ownership`, {
      ownerPersonIds: [people['Buyer Wang']],
      registerArea: '89.55',
    });
    expect(changed.body.revision).toBe(2);
    const repeated = await put(`${base()}/units/${units[0]}/ownership`, {
      ownerPersonIds: [people['Buyer Wang']],
      registerArea: '89.55',
    });
    expect(repeated.body.revision).toBe(2);

    const events = await eventually(async () => recorded.length >= 8 && recorded);
    const unitZero = events.filter((e) => e.data.unitId === units[0]).map((e) => e.data);
    expect(unitZero.map((d) => [d.revision, d.exclusiveArea])).toEqual([
      [1, '89.50'],
      [2, '89.55'],
    ]);
    expect(unitZero[1]).toEqual({
      unitId: units[0],
      buildingId: buildings[0].id,
      gridId,
      exclusiveArea: '89.55',
      areaSource: 'register',
      ownerPersonIds: [people['Buyer Wang']],
      voterPersonId: people['Buyer Wang'],
      headcountKey: `owners:${people['Buyer Wang']}`,
      revision: 2,
    });
    expect(events.every((e) => e.communityId === communityId)).toBe(true);
    const developer = events.filter((e) => e.data.heldByDeveloper);
    expect(developer).toHaveLength(3);
  });

  it('gives concurrent changes of one unit distinct revisions, a loser getting 409 CONFLICT', async () => {
    const areas = ['91.01', '91.02', '91.03'];
    const results = await Promise.all(
      areas.map((registerArea) =>
        put(`${base()}/units/${units[1]}/ownership`, {
          ownerPersonIds: [people['Buyer Wang']],
          registerArea,
        }),
      ),
    );
    const won = results.filter((r) => r.status === 200);
    expect(won.length).toBeGreaterThanOrEqual(1);
    expect(
      results
        .filter((r) => r.status !== 200)
        .every((r) => r.status === 409 && r.body.code === ErrorCode.CONFLICT),
    ).toBe(true);
    const revisions = won.map((r) => r.body.revision).sort();
    expect(new Set(revisions).size).toBe(won.length);
    const stored = await admin.get(`${base()}/units/${units[1]}/ownership`);
    expect(stored.body.revision).toBe(1 + won.length);
    const last = won.find((r) => r.body.revision === stored.body.revision)!;
    expect(stored.body.exclusiveArea).toBe(last.body.exclusiveArea);
    const published = await eventually(async () => {
      const mine = recorded.filter((e) => e.data.unitId === units[1]);
      return mine.length === 1 + won.length && mine;
    });
    expect(published.map((e) => e.data.revision).sort()).toEqual([1, ...revisions]);
  });

  it('pages through the owner register and filters it by building', async () => {
    const first = await admin.get(`${base()}/owners?limit=4`);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(4);
    const second = await admin.get(`${base()}/owners?limit=4&cursor=${first.body.nextCursor}`);
    expect(second.body.items).toHaveLength(3);
    expect(second.body.nextCursor).toBeUndefined();
    const inB002 = await admin.get(`${base()}/owners?buildingId=${buildings[1].id}`);
    expect(inB002.body.items.map((o: { unitCode: string }) => o.unitCode)).toEqual(['102', '201', '202']);
  });

  it('keeps the owner register from residents and from other communities', async () => {
    const account = await admin.post(`${base()}/residents`, {
      name: 'Curious Tenant',
      phone: '13900002222',
      unitId: units[4],
      relation: Relation.Tenant,
      account: { username: `curious.${system.id}`, password: 'resident-password' },
    });
    expect(account.status).toBe(201);
    const login = await client(system.baseUrl).post('/api/v1/auth/login', {
      username: `curious.${system.id}`,
      password: 'resident-password',
    });
    const resident = client(system.baseUrl, login.body.accessToken);
    expect((await resident.get(`${base()}/owners`)).status).toBe(403);
    const other = await resident.get('/api/v1/communities/0123456789abcdef01234567/volunteers/leaderboard');
    expect(other.status).toBe(403);
    const record = await put(
      `${base()}/units/${units[4]}/ownership`,
      { ownerPersonIds: [account.body.id], registerArea: '80' },
      login.body.accessToken,
    );
    expect(record.status).toBe(403);
  });

  it('counts a shift delivered twice once, adds hours by hand, corrects them, and ranks by building and grid', async () => {
    const chen = people['Volunteer Chen'];
    const wang = people['Buyer Wang'];
    const profile = await put(`${base()}/volunteers/${chen}`, {
      skills: ['First Aid', 'plumbing'],
      availability: ['weekend_morning'],
    });
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({
      name: 'Volunteer Chen',
      skills: ['first aid', 'plumbing'],
      buildingId: buildings[1].id,
      gridId,
    });
    const bySkill = await admin.get(`${base()}/volunteers?skill=first%20aid`);
    expect(bySkill.body.items.map((v: { personId: string }) => v.personId)).toEqual([chen]);

    const nats = system.membership!.get(NatsConnection);
    const shift = newEvent(
      ActivitiesEvents.shiftCompleted,
      {
        shiftId: 'run-1',
        sourceId: 'city-health-run',
        personId: chen,
        hours: '3.25',
        completedAt: new Date().toISOString(),
      },
      { communityId, actor: 'service:activities', correlationId: `e2e-${system.id}` },
    );
    const codec = JSONCodec();
    for (const msgID of [`${shift.id}:a`, `${shift.id}:b`]) {
      const h = headers();
      h.set(Headers.correlationId, shift.correlationId);
      await nats.js.publish(shift.type, codec.encode(shift), { msgID, headers: h });
    }
    await eventually(async () => {
      const info = await nats.jsm.consumers.info('DOMAIN_EVENTS', 'membership-volunteer-shifts');
      return info.num_pending === 0 && info.num_ack_pending === 0 && info.delivered.stream_seq > 0;
    });
    const chenHours = await eventually(async () => {
      const r = await admin.get(`${base()}/volunteers/${chen}/hours`);
      return r.body.items?.length > 0 && r;
    });
    expect(chenHours.body).toMatchObject({ totalHours: '3.25', points: '32.50' });
    expect(chenHours.body.items).toHaveLength(1);

    const manual = await admin.post(`${base()}/volunteer-hours`, {
      personId: wang,
      hours: '5',
      description: 'School safety watch',
    });
    expect(manual.status).toBe(201);
    expect(manual.body).toMatchObject({ hours: '5.00', source: 'manual', buildingId: buildings[0].id });
    const correction = await admin.post(`${base()}/volunteer-hours/${manual.body.id}/corrections`, {
      hours: '-0.75',
      reason: 'Left early',
    });
    expect(correction.status).toBe(201);
    const tooMuch = await admin.post(`${base()}/volunteer-hours/${manual.body.id}/corrections`, {
      hours: '-4.26',
      reason: 'Oops',
    });
    expect(tooMuch.status).toBe(400);
    const badHours = await admin.post(`${base()}/volunteer-hours`, {
      personId: wang,
      hours: '-1',
      description: 'Negative',
    });
    expect(badHours.status).toBe(400);

    const byBuilding = await admin.get(`${base()}/volunteers/leaderboard?buildingId=${buildings[1].id}`);
    expect(byBuilding.status).toBe(200);
    expect(byBuilding.body.rows).toEqual([
      { rank: 1, personId: chen, name: 'Volunteer Chen', hours: '3.25', points: '32.50' },
    ]);
    const byGrid = await admin.get(`${base()}/volunteers/leaderboard?gridId=${gridId}`);
    expect(byGrid.body.rows.map((r: { personId: string; hours: string }) => [r.personId, r.hours])).toEqual([
      [wang, '4.25'],
      [chen, '3.25'],
    ]);

    const rate = await put(`${base()}/volunteer-settings`, { pointsPerHour: '2', hoursPerCase: '1.5' });
    expect(rate.status).toBe(200);
    const repriced = await admin.get(`${base()}/volunteers/leaderboard?gridId=${gridId}&limit=1`);
    expect(repriced.body).toMatchObject({
      pointsPerHour: '2.00',
      rows: [{ personId: wang, points: '8.50' }],
    });
  });

  it('documents the new routes in OpenAPI', async () => {
    const doc = await client(system.baseUrl).get('/docs-json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/communities/{communityId}/units/{unitId}/ownership',
        '/api/v1/communities/{communityId}/owners',
        '/api/v1/communities/{communityId}/owners/counts',
        '/api/v1/communities/{communityId}/volunteers/leaderboard',
        '/api/v1/communities/{communityId}/volunteer-hours/{entryId}/corrections',
      ]),
    );
  });
});
