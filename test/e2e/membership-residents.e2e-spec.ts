import { ErrorCode, Gender, Relation, Role } from '@cg/contracts';
import { eventually } from '@cg/testing';
import { ADMIN, TestSystem, client } from './support/system';

type Http = ReturnType<typeof client>;

describe('residents: person details, moves with history, households and search', () => {
  const system = new TestSystem();
  let admin: Http;
  let staff: Http;
  let worker: Http;
  let li: Http;
  let wang: Http;
  let communityId: string;
  let otherCommunityId: string;
  let gridTwo: string;
  let buildingOne: string;
  let buildingTwo: string;
  const units: Record<string, string> = {};
  const people: Record<string, string> = {};

  async function login(username: string, password: string): Promise<Http> {
    const res = await client(system.baseUrl).post('/api/v1/auth/login', { username, password });
    expect(res.status).toBe(200);
    return client(system.baseUrl, res.body.accessToken);
  }

  const residents = (path = '') => `/api/v1/communities/${communityId}/residents${path}`;
  const household = (unit: string) => `/api/v1/communities/${communityId}/units/${units[unit]}/household`;

  beforeAll(async () => {
    await system.start();
    admin = await login(ADMIN.username, ADMIN.password);
    const community = await admin.post('/api/v1/communities', { code: `R${system.id}`, name: 'Residents', district: 'D', street: 'S' });
    communityId = community.body.id;
    otherCommunityId = (await admin.post('/api/v1/communities', { code: `O${system.id}`, name: 'Other', district: 'D', street: 'S' })).body.id;
    const area = await admin.post(`/api/v1/communities/${communityId}/areas`, { code: 'A1', name: 'Area 1' });
    const gridOne = (await admin.post(`/api/v1/communities/${communityId}/grids`, { areaId: area.body.id, code: 'G01', name: 'Grid 1' })).body.id;
    gridTwo = (await admin.post(`/api/v1/communities/${communityId}/grids`, { areaId: area.body.id, code: 'G02', name: 'Grid 2' })).body.id;
    const bulk = await admin.post(`/api/v1/communities/${communityId}/buildings/bulk`, {
      gridId: gridOne,
      buildings: [
        { code: 'B01', floors: 2, unitsPerFloor: 2 },
        { code: 'B02', floors: 2, unitsPerFloor: 2 },
      ],
    });
    expect(bulk.status).toBe(201);
    [buildingOne, buildingTwo] = bulk.body.buildings.map((b: { id: string }) => b.id);
    for (const [building, prefix] of [[buildingOne, 'b1'], [buildingTwo, 'b2']] as const) {
      const page = await admin.get(`/api/v1/communities/${communityId}/buildings/${building}/units?limit=10`);
      for (const unit of page.body.items as { id: string; code: string }[]) units[`${prefix}-${unit.code}`] = unit.id;
    }
    for (const [username, role] of [
      [`staff.${system.id}`, Role.CommunityStaff],
      [`worker.${system.id}`, Role.GridWorker],
    ] as const) {
      const created = await admin.post('/api/v1/accounts', { username, password: 'residents-password', name: username, roles: [role], communityIds: [communityId] });
      expect(created.status).toBe(201);
    }
    staff = await login(`staff.${system.id}`, 'residents-password');
    worker = await login(`worker.${system.id}`, 'residents-password');

    const register = async (key: string, body: Record<string, unknown>) => {
      const res = await staff.post(residents(), body);
      expect(res.status).toBe(201);
      people[key] = res.body.id;
      return res;
    };
    const first = await register('li', {
      name: 'Li Ming',
      phone: '13800001234',
      idNumber: '310104198001011239',
      unitId: units['b1-101'],
      relation: Relation.Owner,
      dateOfBirth: '1980-01-01',
      gender: Gender.Male,
      account: { username: `li.${system.id}`, password: 'resident-password' },
    });
    // The reply to a write shows the numbers masked, even to staff.
    expect(first.body).toMatchObject({ phone: '138****1234', idNumber: '3101**********1239', revision: 0 });
    await register('wang', {
      name: 'Wang Fang',
      phone: '13900005678',
      unitId: units['b1-101'],
      relation: Relation.Tenant,
      account: { username: `wang.${system.id}`, password: 'resident-password' },
    });
    await register('zhao', { name: 'Zhao Lei', phone: '13700009999', unitId: units['b1-102'], relation: Relation.FamilyMember });
    await register('wan', { name: 'Wan Qing', phone: '13600001111', unitId: units['b1-201'], relation: Relation.Tenant });
    li = await login(`li.${system.id}`, 'resident-password');
    wang = await login(`wang.${system.id}`, 'resident-password');
  });

  afterAll(async () => {
    await system.stop();
  });

  it('shows date of birth and gender, and the numbers masked to every reader, staff and district admins included', async () => {
    const masked = { phone: '138****1234', idNumber: '3101**********1239' };
    const byStaff = await staff.get(residents(`/${people.li}`));
    expect(byStaff.status).toBe(200);
    expect(byStaff.body).toMatchObject({ ...masked, dateOfBirth: '1980-01-01', gender: 'male' });
    expect((await admin.get(residents(`/${people.li}`))).body).toMatchObject(masked);
    const byWorker = await worker.get(residents(`/${people.li}`));
    expect(byWorker.status).toBe(200);
    expect(byWorker.body).toMatchObject({ ...masked, dateOfBirth: '1980-01-01' });
    const bySelf = await li.get(residents(`/${people.li}`));
    expect(bySelf.body).toMatchObject({ ...masked, dateOfBirth: '1980-01-01', gender: 'male' });
    for (const reader of [worker, staff, admin]) {
      const list = await reader.get(residents('?limit=10'));
      expect(list.body.items.map((r: { phone: string }) => r.phone)).toContain('138****1234');
      expect(JSON.stringify(list.body)).not.toContain('13800001234');
    }
  });

  it('shows the household of a unit, owners first, to staff and to the people living there', async () => {
    const byStaff = await staff.get(household('b1-101'));
    expect(byStaff.status).toBe(200);
    expect(byStaff.body.members.map((m: { name: string; relation: string }) => [m.name, m.relation])).toEqual([
      ['Li Ming', Relation.Owner],
      ['Wang Fang', Relation.Tenant],
    ]);
    const byMember = await li.get(household('b1-101'));
    expect(byMember.status).toBe(200);
    expect(byMember.body.members[0].phone).toBe('138****1234');
    const notMine = await li.get(household('b1-102'));
    expect(notMine.status).toBe(403);
    expect(notMine.body.code).toBe(ErrorCode.FORBIDDEN);
  });

  it('moves a resident into another unit, ends the old residence and keeps the history', async () => {
    const moved = await staff.post(residents(`/${people.wang}/moves`), { unitId: units['b2-101'], relation: Relation.Owner, expectedRevision: 0 });
    expect(moved.status).toBe(201);
    expect(moved.body).toMatchObject({ unitId: units['b2-101'], buildingId: buildingTwo, relation: Relation.Owner, revision: 1 });

    const history = await wang.get(residents(`/${people.wang}/residences`));
    expect(history.status).toBe(200);
    expect(history.body.periods).toHaveLength(2);
    expect(history.body.periods[0]).toMatchObject({ unitId: units['b1-101'], relation: Relation.Tenant });
    expect(history.body.periods[0].until).toBe(history.body.periods[1].from);
    expect(history.body.periods[1]).toMatchObject({ unitId: units['b2-101'], relation: Relation.Owner });
    expect(history.body.periods[1].until).toBeUndefined();

    expect((await staff.get(household('b1-101'))).body.members.map((m: { name: string }) => m.name)).toEqual(['Li Ming']);
    expect((await staff.get(household('b2-101'))).body.members.map((m: { name: string }) => m.name)).toEqual(['Wang Fang']);
    expect((await li.get(residents(`/${people.wang}/residences`))).status).toBe(403);
  });

  it("lets grid's read model follow the move: the resident's home shows the new building", async () => {
    const home = await eventually(async () => {
      const res = await wang.get('/api/v1/me');
      return res.body.residence?.data?.building?.id === buildingTwo && res.body;
    });
    expect(home.residence.data.unit.id).toBe(units['b2-101']);
    expect(home.profile.data).toMatchObject({ buildingId: buildingTwo, revision: 1 });
  });

  it('refuses a move decided on a stale revision, and lets exactly one of two racing moves win', async () => {
    const stale = await staff.post(residents(`/${people.wang}/moves`), { unitId: units['b2-102'], expectedRevision: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe(ErrorCode.CONFLICT);
    const race = await Promise.all(
      ['b2-102', 'b2-201'].map((unit) => staff.post(residents(`/${people.zhao}/moves`), { unitId: units[unit], expectedRevision: 0 })),
    );
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    const history = await staff.get(residents(`/${people.zhao}/residences`));
    expect(history.body.periods).toHaveLength(2);
  });

  it('records a move out; the resident leaves every household and cannot move out twice', async () => {
    const out = await staff.post(residents(`/${people.wan}/move-out`), {});
    expect(out.status).toBe(201);
    expect(out.body.movedOutAt).toBeDefined();
    expect(out.body.unitId).toBe(units['b1-201']);
    expect((await staff.get(household('b1-201'))).body.members).toEqual([]);
    const again = await staff.post(residents(`/${people.wan}/move-out`), {});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe(ErrorCode.INVALID_TRANSITION);
    const history = await staff.get(residents(`/${people.wan}/residences`));
    expect(history.body.periods).toHaveLength(1);
    expect(history.body.periods[0].until).toBe(out.body.movedOutAt);
  });

  it('refuses a move into a unit that does not exist, and one dated before the current residence began', async () => {
    const unknown = await staff.post(residents(`/${people.li}/moves`), { unitId: '0123456789abcdef01234567' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe(ErrorCode.UNIT_NOT_FOUND);
    const early = await staff.post(residents(`/${people.li}/moves`), { unitId: units['b2-202'], movedAt: '2001-01-01T00:00:00Z' });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe(ErrorCode.INVALID_TRANSITION);
  });

  it('searches residents by name prefix and by the building they live in today, a page at a time', async () => {
    const byName = await staff.get(residents('?namePrefix=wa'));
    expect(byName.status).toBe(200);
    expect(byName.body.items.map((r: { name: string }) => r.name).sort()).toEqual(['Wan Qing', 'Wang Fang']);
    const inOne = await worker.get(residents(`?buildingId=${buildingOne}`));
    expect(inOne.body.items.map((r: { name: string }) => r.name)).toEqual(['Li Ming']);
    const inTwo = await staff.get(residents(`?buildingId=${buildingTwo}&limit=1`));
    expect(inTwo.body.items).toHaveLength(1);
    expect(inTwo.body.nextCursor).toBeDefined();
    const next = await staff.get(residents(`?buildingId=${buildingTwo}&limit=1&cursor=${inTwo.body.nextCursor}`));
    expect([...inTwo.body.items, ...next.body.items].map((r: { name: string }) => r.name).sort()).toEqual(['Wang Fang', 'Zhao Lei']);
    expect(next.body.nextCursor).toBeUndefined();
    const both = await staff.get(residents(`?buildingId=${buildingTwo}&namePrefix=zh`));
    expect(both.body.items.map((r: { name: string }) => r.name)).toEqual(['Zhao Lei']);
    const all = await staff.get(residents());
    expect(all.body.items).toHaveLength(4);
    expect((await staff.get(residents('?buildingId=not-an-id'))).status).toBe(400);
  });

  it('moves residents to the new grid when their building moves to another grid', async () => {
    const moved = await admin.post(`/api/v1/communities/${communityId}/buildings/${buildingTwo}/move`, { gridId: gridTwo });
    expect(moved.status).toBe(200);
    const wangNow = await eventually(async () => {
      const res = await staff.get(residents(`/${people.wang}`));
      return res.body.gridId === gridTwo && res.body;
    });
    expect(wangNow).toMatchObject({ buildingId: buildingTwo, unitId: units['b2-101'], revision: 2 });
    const history = await staff.get(residents(`/${people.wang}/residences`));
    expect(history.body.periods).toHaveLength(2);
    expect(history.body.periods[1]).toMatchObject({ unitId: units['b2-101'], gridId: gridTwo });
    expect((await staff.get(residents(`/${people.li}`))).body.revision).toBe(0);
  });

  it("refuses another community's residents, households and moves", async () => {
    const other = (path: string) => `/api/v1/communities/${otherCommunityId}${path}`;
    for (const http of [staff, worker, li]) {
      expect((await http.get(other('/residents'))).status).toBe(403);
      expect((await http.get(other(`/units/${units['b1-101']}/household`))).status).toBe(403);
      expect((await http.get(other(`/residents/${people.li}/residences`))).status).toBe(403);
    }
    const move = await staff.post(other(`/residents/${people.li}/moves`), { unitId: units['b1-102'] });
    expect(move.status).toBe(403);
    const adminElsewhere = await admin.get(other(`/residents/${people.li}`));
    expect(adminElsewhere.status).toBe(404);
  });
});
