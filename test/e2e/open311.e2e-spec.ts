import { ErrorCode } from '@cg/contracts';
import { ADMIN, TestSystem, client } from './support/system';

describe('Open311 GeoReport v2 over grid cases', () => {
  const system = new TestSystem();
  let resident: ReturnType<typeof client>;
  let base: string;
  let unitId: string;
  let gridId: string;

  beforeAll(async () => {
    await system.start();
    const login = await client(system.baseUrl).post('/api/v1/auth/login', ADMIN);
    const admin = client(system.baseUrl, login.body.accessToken);
    const community = await admin.post('/api/v1/communities', { code: `O${system.id}`, name: 'Open311', district: 'D', street: 'S' });
    const cid = community.body.id;
    const area = await admin.post(`/api/v1/communities/${cid}/areas`, { code: 'A1', name: 'Area 1' });
    const grid = await admin.post(`/api/v1/communities/${cid}/grids`, { areaId: area.body.id, code: 'G1', name: 'Grid 1' });
    gridId = grid.body.id;
    const bulk = await admin.post(`/api/v1/communities/${cid}/buildings/bulk`, { gridId, buildings: [{ code: 'B1', floors: 3, unitsPerFloor: 2 }] });
    const units = await admin.get(`/api/v1/communities/${cid}/buildings/${bulk.body.buildings[0].id}/units`);
    unitId = units.body.items[3].id;
    const username = `open311.${system.id}`;
    await admin.post(`/api/v1/communities/${cid}/residents`, {
      name: 'Zhou Min',
      phone: '13600000000',
      unitId,
      relation: 'tenant',
      account: { username, password: 'resident-password' },
    });
    const session = await client(system.baseUrl).post('/api/v1/auth/login', { username, password: 'resident-password' });
    resident = client(system.baseUrl, session.body.accessToken);
    base = `/open311/v2/${cid}`;
  });

  afterAll(async () => {
    await system.stop();
  });

  it('lists the case categories as services', async () => {
    const res = await resident.get(`${base}/services.json`);
    expect(res.status).toBe(200);
    expect(res.body.map((s: { service_code: string }) => s.service_code)).toEqual(expect.arrayContaining(['noise', 'group_rental']));
  });

  it('files a request that becomes a case of the grid of the address, then follows it', async () => {
    const created = await resident.post(`${base}/requests.json`, {
      service_code: 'noise',
      description: 'Drilling after 22:00 every night upstairs',
      address_id: unitId,
      media_url: 'https://photos.example.org/n1.jpg',
    });
    expect(created.status).toBe(201);
    const id = created.body[0].service_request_id;

    const one = await resident.get(`${base}/requests/${id}.json`);
    expect(one.status).toBe(200);
    expect(one.body[0]).toMatchObject({
      service_request_id: id,
      status: 'open',
      service_code: 'noise',
      address_id: unitId,
      agency_responsible: `grid:${gridId}`,
      media_url: 'https://photos.example.org/n1.jpg',
    });

    const open = await resident.get(`${base}/requests.json?status=open&service_code=noise`);
    expect(open.body.map((r: { service_request_id: string }) => r.service_request_id)).toContain(id);
    const closed = await resident.get(`${base}/requests.json?status=closed`);
    expect(closed.body).toEqual([]);
  });

  it('refuses an unknown service code with VALIDATION_FAILED and an unknown address with 404', async () => {
    const bad = await resident.post(`${base}/requests.json`, { service_code: 'ufo', description: 'Lights in the sky', address_id: unitId });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe(ErrorCode.VALIDATION_FAILED);
    const nowhere = await resident.post(`${base}/requests.json`, { service_code: 'noise', description: 'Loud music all night', address_id: '0123456789abcdef01234567' });
    expect(nowhere.status).toBe(404);
  });
});
