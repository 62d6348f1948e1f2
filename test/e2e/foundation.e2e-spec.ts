import { ErrorCode, GridPosition, Relation } from '@cg/contracts';
import { eventually } from '@cg/testing';
import jwt from 'jsonwebtoken';
import { ADMIN, TestSystem, client } from './support/system';

describe('the first slice through the gateway', () => {
  const system = new TestSystem();
  let admin: ReturnType<typeof client>;
  let communityId: string;
  let gridId: string;
  let buildingId: string;
  let unitId: string;
  let residentToken: string;
  let personId: string;

  beforeAll(async () => {
    await system.start();
  });

  afterAll(async () => {
    await system.stop();
  });

  it('logs the district administrator in and issues a bearer token', async () => {
    const res = await client(system.baseUrl).post('/api/v1/auth/login', ADMIN);
    expect(res.status).toBe(200);
    expect(res.body.tokenType).toBe('Bearer');
    expect(res.body.principal.roles).toEqual(['district_admin']);
    admin = client(system.baseUrl, res.body.accessToken);
  });

  it('refuses a wrong password with INVALID_CREDENTIALS as problem+json', async () => {
    const res = await client(system.baseUrl).post('/api/v1/auth/login', { ...ADMIN, password: 'wrong-password' });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.code).toBe(ErrorCode.INVALID_CREDENTIALS);
  });

  it('builds a hierarchy: community, residential area, grid, buildings with units', async () => {
    const community = await admin.post('/api/v1/communities', {
      code: `K${system.id}`,
      name: 'Kangjian Community',
      district: 'Xuhui District',
      street: 'Kangjian Street',
    });
    expect(community.status).toBe(201);
    communityId = community.body.id;
    const listed = await admin.get('/api/v1/communities?limit=200');
    expect(listed.body.items.map((c: { id: string }) => c.id)).toContain(communityId);

    const area = await admin.post(`/api/v1/communities/${communityId}/areas`, { code: 'A1', name: 'Area 1' });
    expect(area.status).toBe(201);
    const grid = await admin.post(`/api/v1/communities/${communityId}/grids`, { areaId: area.body.id, code: 'G01', name: 'Grid 1' });
    expect(grid.status).toBe(201);
    gridId = grid.body.id;

    const bulk = await admin.post(`/api/v1/communities/${communityId}/buildings/bulk`, {
      gridId,
      buildings: [
        { code: 'B001', floors: 6, unitsPerFloor: 2 },
        { code: 'B002', floors: 18, unitsPerFloor: 4 },
      ],
    });
    expect(bulk.status).toBe(201);
    expect(bulk.body).toMatchObject({ buildingsCreated: 2, unitsCreated: 12 + 72 });
    buildingId = bulk.body.buildings[0].id;

    const hierarchy = await admin.get(`/api/v1/communities/${communityId}/hierarchy`);
    expect(hierarchy.status).toBe(200);
    expect(hierarchy.body.areas[0].grids[0].buildings.map((b: { code: string; unitCount: number }) => [b.code, b.unitCount])).toEqual([
      ['B001', 12],
      ['B002', 72],
    ]);

    const units = await admin.get(`/api/v1/communities/${communityId}/buildings/${buildingId}/units?limit=5`);
    expect(units.status).toBe(200);
    expect(units.body.items.map((u: { code: string }) => u.code)).toEqual(['101', '102', '201', '202', '301']);
    const next = await admin.get(`/api/v1/communities/${communityId}/buildings/${buildingId}/units?limit=10&cursor=${units.body.nextCursor}`);
    expect(next.body.items).toHaveLength(7);
    expect(next.body.nextCursor).toBeUndefined();
    unitId = units.body.items[2].id;
  });

  it('rejects a bulk batch with a taken code and creates none of it', async () => {
    const res = await admin.post(`/api/v1/communities/${communityId}/buildings/bulk`, {
      gridId,
      buildings: [
        { code: 'B003', floors: 3, unitsPerFloor: 2 },
        { code: 'B001', floors: 3, unitsPerFloor: 2 },
      ],
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe(ErrorCode.CODE_TAKEN);
    expect(res.body.errors).toEqual([{ field: 'buildings[1].code', reason: '"B001" already exists in this grid' }]);
    const hierarchy = await admin.get(`/api/v1/communities/${communityId}/hierarchy`);
    expect(hierarchy.body.areas[0].grids[0].buildings).toHaveLength(2);
  });

  it('assigns the grid head', async () => {
    const res = await admin.post(`/api/v1/communities/${communityId}/staff`, {
      nodeId: gridId,
      position: GridPosition.GridHead,
      name: 'Wang Fang',
      phone: '13900001111',
    });
    expect(res.status).toBe(201);
    expect(res.body.position).toBe('grid_head');
  });

  it('registers a resident with an account, checked against grid over NATS', async () => {
    const res = await admin.post(`/api/v1/communities/${communityId}/residents`, {
      name: 'Li Ming',
      phone: '13800001234',
      idNumber: '310104198001011239',
      unitId,
      relation: Relation.Owner,
      account: { username: `li.ming.${system.id}`, password: 'resident-password' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Li Ming', phone: '138****1234', idNumber: '3101**********1239', buildingId, gridId });
    personId = res.body.id;
    const login = await client(system.baseUrl).post('/api/v1/auth/login', {
      username: `li.ming.${system.id}`,
      password: 'resident-password',
    });
    expect(login.status).toBe(200);
    expect(login.body.principal).toMatchObject({ personId, roles: ['resident', 'owner'], communityIds: [communityId] });
    residentToken = login.body.accessToken;
  });

  it('refuses an unknown unit with UNIT_NOT_FOUND and stores nothing', async () => {
    const res = await admin.post(`/api/v1/communities/${communityId}/residents`, {
      name: 'Nobody',
      phone: '13800009999',
      unitId: '0123456789abcdef01234567',
      relation: Relation.Tenant,
      account: { username: `nobody.${system.id}`, password: 'resident-password' },
    });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe(ErrorCode.UNIT_NOT_FOUND);
    const list = await admin.get(`/api/v1/communities/${communityId}/residents`);
    expect(list.body.items.map((r: { name: string }) => r.name)).toEqual(['Li Ming']);
    const login = await client(system.baseUrl).post('/api/v1/auth/login', { username: `nobody.${system.id}`, password: 'resident-password' });
    expect(login.status).toBe(401);
  });

  it('answers /me with profile and residence, including who is responsible for the grid', async () => {
    const me = client(system.baseUrl, residentToken);
    const res = await eventually(async () => {
      const r = await me.get('/api/v1/me');
      return r.body?.residence?.status === 'ok' && r;
    });
    expect(res.status).toBe(200);
    expect(res.body.profile).toMatchObject({ status: 'ok', data: { id: personId, name: 'Li Ming' } });
    expect(res.body.residence.data).toMatchObject({ unit: { id: unitId, code: '201' }, building: { code: 'B001' }, grid: { code: 'G01' } });
    expect(res.body.residence.data.staff).toEqual([expect.objectContaining({ name: 'Wang Fang', position: 'grid_head' })]);
  });

  it('counts the registered resident in the hierarchy once', async () => {
    const hierarchy = await admin.get(`/api/v1/communities/${communityId}/hierarchy`);
    expect(hierarchy.body.areas[0].grids[0].buildings[0].residentCount).toBe(1);
  });

  it('rejects a bad body with 400 listing each bad field, and unknown fields', async () => {
    const res = await admin.post(`/api/v1/communities/${communityId}/residents`, {
      name: '',
      phone: 'not-a-phone',
      unitId: 'x',
      relation: 'landlord',
      shoeSize: 42,
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(ErrorCode.VALIDATION_FAILED);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'phone', 'unitId', 'relation', 'shoeSize']));
  });

  it('rejects malformed JSON as problem+json', async () => {
    const res = await admin.post(`/api/v1/communities/${communityId}/areas`, '{"code": ', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses a missing token, an expired token and a tampered token', async () => {
    const anonymous = await client(system.baseUrl).get('/api/v1/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe(ErrorCode.UNAUTHENTICATED);

    const claims = jwt.decode(residentToken) as Record<string, unknown>;
    const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60, iat: Math.floor(Date.now() / 1000) - 120 }, system.jwtSecret);
    const late = await client(system.baseUrl, expired).get('/api/v1/me');
    expect(late.status).toBe(401);
    expect(late.body.code).toBe(ErrorCode.TOKEN_EXPIRED);

    const [header, payload, signature] = residentToken.split('.');
    const widened = Buffer.from(JSON.stringify({ ...claims, roles: ['district_admin'] })).toString('base64url');
    const tampered = await client(system.baseUrl, `${header}.${widened}.${signature}`).get('/api/v1/me');
    expect(tampered.status).toBe(401);
    expect(tampered.body.code).toBe(ErrorCode.UNAUTHENTICATED);
    expect(payload).toBeDefined();
  });

  it("forbids a resident from another community's data and from staff routes", async () => {
    const resident = client(system.baseUrl, residentToken);
    const other = await resident.get('/api/v1/communities/0123456789abcdef01234567/hierarchy');
    expect(other.status).toBe(403);
    const staffOnly = await resident.post(`/api/v1/communities/${communityId}/areas`, { code: 'A9', name: 'Nope' });
    expect(staffOnly.status).toBe(403);
    expect(staffOnly.body.code).toBe(ErrorCode.FORBIDDEN);
  });

  it('serves the OpenAPI document with every route and Swagger UI', async () => {
    const doc = await client(system.baseUrl).get('/docs-json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/login',
        '/api/v1/me',
        '/api/v1/communities',
        '/api/v1/communities/{communityId}/residents',
        '/api/v1/communities/{communityId}/buildings/bulk',
      ]),
    );
    expect(doc.body.components.securitySchemes.bearer).toBeDefined();
    const ui = await client(system.baseUrl).get('/docs');
    expect(ui.status).toBe(200);
    expect(String(ui.body)).toContain('swagger');
  });

  it('reports health and metrics', async () => {
    const ready = await client(system.baseUrl).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.nats).toBe('up');
    const metrics = await client(system.baseUrl).get('/metrics');
    expect(String(metrics.body)).toContain('http_request_duration_seconds');
  });

  it('still answers /me with the membership part while grid is down', async () => {
    await system.stopGrid();
    const res = await client(system.baseUrl, residentToken).get('/api/v1/me');
    expect(res.status).toBe(200);
    expect(res.body.profile.status).toBe('ok');
    expect(res.body.residence.status).toBe('unavailable');
    expect([ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.UPSTREAM_TIMEOUT]).toContain(res.body.residence.error.code);
    await system.startGrid();
  });
});
