import { XMLParser } from 'fast-xml-parser';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ADMIN, TestSystem, client } from './support/system';

const ROOT = join(__dirname, '..', '..');
const PYTHON_PACKAGES = join(ROOT, '.local', 'py');
const CLIENT_CHECK = join(ROOT, 'test', 'open311-client', 'georeport_client_check.py');
const GEOREPORT = 'georeport==0.3.1';

/** The GeoReport client from PyPI, installed once into .local/py. */
function installGeoReportClient(): void {
  if (existsSync(join(PYTHON_PACKAGES, 'georeport-0.3.1.dist-info'))) return;
  execFileSync('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', PYTHON_PACKAGES, GEOREPORT], {
    stdio: 'inherit',
    env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' },
    timeout: 120_000,
  });
}

const xml = new XMLParser({ parseTagValue: false });

describe('Open311 GeoReport v2 over grid cases', () => {
  const system = new TestSystem();
  let admin: ReturnType<typeof client>;
  let resident: ReturnType<typeof client>;
  let anonymous: ReturnType<typeof client>;
  let communityId: string;
  let code: string;
  let otherCode: string;
  let unitId: string;
  let buildingId: string;
  let gridId: string;

  const form = (path: string, fields: Record<string, string>) =>
    anonymous.call('POST', path, new URLSearchParams(fields).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  const issueKey = async (cid: string, name: string) => {
    const issued = await admin.post(`/api/v1/communities/${cid}/open311-keys`, { name });
    expect(issued.status).toBe(201);
    return issued.body as { id: string; apiKey: string };
  };

  beforeAll(async () => {
    installGeoReportClient();
    await system.start();
    anonymous = client(system.baseUrl);
    const login = await anonymous.post('/api/v1/auth/login', ADMIN);
    admin = client(system.baseUrl, login.body.accessToken);
    code = `O${system.id}`;
    otherCode = `P${system.id}`;
    const community = await admin.post('/api/v1/communities', { code, name: 'Open311', district: 'D', street: 'S' });
    communityId = community.body.id;
    await admin.post('/api/v1/communities', { code: otherCode, name: 'Other', district: 'D', street: 'S' });
    const area = await admin.post(`/api/v1/communities/${communityId}/areas`, { code: 'A1', name: 'Area 1' });
    const grid = await admin.post(`/api/v1/communities/${communityId}/grids`, { areaId: area.body.id, code: 'G1', name: 'Grid 1' });
    gridId = grid.body.id;
    const bulk = await admin.post(`/api/v1/communities/${communityId}/buildings/bulk`, { gridId, buildings: [{ code: 'B1', floors: 3, unitsPerFloor: 2 }] });
    buildingId = bulk.body.buildings[0].id;
    const units = await admin.get(`/api/v1/communities/${communityId}/buildings/${buildingId}/units`);
    unitId = units.body.items[3].id;
    const username = `open311.${system.id}`;
    await admin.post(`/api/v1/communities/${communityId}/residents`, {
      name: 'Zhou Min',
      phone: '13600000000',
      unitId,
      relation: 'tenant',
      account: { username, password: 'resident-password' },
    });
    const session = await anonymous.post('/api/v1/auth/login', { username, password: 'resident-password' });
    resident = client(system.baseUrl, session.body.accessToken);
  });

  afterAll(async () => {
    await system.stop();
  });

  it('answers the discovery document in JSON and XML', async () => {
    const json = await anonymous.get('/open311/v2/discovery.json');
    expect(json.status).toBe(200);
    expect(json.body.endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      url: `${system.baseUrl}/open311/v2`,
      formats: ['text/xml', 'application/json'],
    });
    const doc = await anonymous.get('/open311/v2/discovery.xml');
    expect(doc.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(xml.parse(doc.body).discovery.endpoints.endpoint.formats.format).toEqual(['text/xml', 'application/json']);
  });

  it('lists the case categories as services without a token, in JSON and XML', async () => {
    const json = await anonymous.get(`/open311/v2/services.json?jurisdiction_id=${code}`);
    expect(json.status).toBe(200);
    expect(json.body.map((s: { service_code: string }) => s.service_code)).toEqual(expect.arrayContaining(['noise', 'group_rental']));
    expect(json.body[0]).toMatchObject({ metadata: true, type: 'realtime' });
    const doc = await anonymous.get(`/open311/v2/services.xml?jurisdiction_id=${communityId}`);
    expect(doc.status).toBe(200);
    expect(String(doc.body).startsWith('<?xml version="1.0" encoding="utf-8"?><services><service>')).toBe(true);
    expect(xml.parse(doc.body).services.service).toHaveLength(json.body.length);
  });

  it('describes a service with its attributes, and answers 404 for an unknown one in the spec error shape', async () => {
    const definition = await anonymous.get(`/open311/v2/services/noise.json?jurisdiction_id=${code}`);
    expect(definition.status).toBe(200);
    expect(definition.body.service_code).toBe('noise');
    expect(definition.body.attributes[0]).toMatchObject({ code: 'urgency', datatype: 'singlevaluelist', required: false });
    const doc = await anonymous.get(`/open311/v2/services/noise.xml?jurisdiction_id=${code}`);
    expect(xml.parse(doc.body).service_definition.attributes.attribute[0].values.value[1]).toEqual({ key: 'urgent', name: 'Urgent' });
    const unknown = await anonymous.get(`/open311/v2/services/ufo.json?jurisdiction_id=${code}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual([{ code: 404, description: expect.stringMatching(/^NOT_FOUND: /) }]);
  });

  it('needs a known jurisdiction_id on reads: 400 without one, 404 for an unknown one, in the format asked', async () => {
    const missing = await anonymous.get('/open311/v2/services.json');
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual([{ code: 400, description: expect.stringContaining('jurisdiction_id') }]);
    const unknown = await anonymous.get('/open311/v2/requests.xml?jurisdiction_id=NOWHERE');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(xml.parse(unknown.body).errors.error).toEqual({ code: '404', description: expect.stringMatching(/^COMMUNITY_NOT_FOUND: /) });
  });

  it('finds a community created while a reload of the jurisdictions is running', async () => {
    const fresh = `R${system.id}`;
    const unknown = Array.from({ length: 5 }, () => anonymous.get('/open311/v2/services.json?jurisdiction_id=NOBODY'));
    expect((await admin.post('/api/v1/communities', { code: fresh, name: 'Fresh', district: 'D', street: 'S' })).status).toBe(201);
    expect((await anonymous.get(`/open311/v2/services.json?jurisdiction_id=${fresh}`)).status).toBe(200);
    for (const res of await Promise.all(unknown)) expect(res.status).toBe(404);
  });

  it('issues api_keys to staff only, shows the key once and keeps only its hash', async () => {
    const refused = await resident.post(`/api/v1/communities/${communityId}/open311-keys`, { name: 'Hotline' });
    expect(refused.status).toBe(403);
    const issued = await issueKey(communityId, 'City hotline app');
    expect(issued.apiKey).toMatch(new RegExp(`^${communityId}\\.${issued.id}\\.`));
    const list = await admin.get(`/api/v1/communities/${communityId}/open311-keys`);
    expect(list.status).toBe(200);
    const listed = list.body.items.find((k: { id: string }) => k.id === issued.id);
    expect(listed).toMatchObject({ name: 'City hotline app', communityId });
    expect(JSON.stringify(list.body)).not.toContain(issued.apiKey.split('.')[2]);
    expect(listed.secretHash).toBeUndefined();
    expect((await resident.get(`/api/v1/communities/${communityId}/open311-keys`)).status).toBe(403);
  });

  it('files a form-encoded request as a case of the grid of the address, filed by the key, and reads it back publicly', async () => {
    const key = await issueKey(communityId, 'Civic app');
    const created = await form('/open311/v2/requests.json', {
      api_key: key.apiKey,
      jurisdiction_id: code,
      service_code: 'noise',
      description: 'Drilling after 22:00 every night upstairs',
      address_id: unitId,
      address_string: 'Stairwell, 3rd floor',
      lat: '31.2304',
      long: '121.4737',
      media_url: 'https://photos.example.org/n1.jpg',
      'attribute[urgency]': 'urgent',
      first_name: 'Li',
      phone: '13900000000',
    });
    expect(created.status).toBe(201);
    const id = created.body[0].service_request_id;
    expect(created.body[0].service_notice).toContain(gridId);

    const staffView = await admin.get(`/api/v1/communities/${communityId}/cases/${id}`);
    expect(staffView.body).toMatchObject({
      gridId,
      unitId,
      urgency: 'urgent',
      place: 'Stairwell, 3rd floor',
      latitude: 31.2304,
      longitude: 121.4737,
      reporter: { sub: `open311-key:${key.id}`, name: 'Civic app' },
    });

    const one = await anonymous.get(`/open311/v2/requests/${id}.json?jurisdiction_id=${code}`);
    expect(one.status).toBe(200);
    expect(one.body[0]).toMatchObject({
      service_request_id: id,
      status: 'open',
      service_code: 'noise',
      address: 'Stairwell, 3rd floor',
      address_id: buildingId,
      lat: 31.2304,
      long: 121.4737,
      agency_responsible: `grid:${gridId}`,
      media_url: 'https://photos.example.org/n1.jpg',
      requested_datetime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    const text = JSON.stringify(one.body);
    for (const personal of [unitId, 'Li', '13900000000']) expect(text).not.toContain(personal);

    const doc = await anonymous.get(`/open311/v2/requests/${id}.xml?jurisdiction_id=${code}`);
    expect(xml.parse(doc.body).service_requests.request).toMatchObject({ service_request_id: id, status: 'open', lat: '31.2304' });
    const token = await anonymous.get(`/open311/v2/tokens/${id}.json?jurisdiction_id=${code}`);
    expect(token.body).toEqual([{ service_request_id: id, token: id }]);
    const elsewhere = await anonymous.get(`/open311/v2/requests/${id}.json?jurisdiction_id=${otherCode}`);
    expect(elsewhere.status).toBe(404);
  });

  it('files JSON with the api_key in the query, on a building id, and answers XML when asked', async () => {
    const key = await issueKey(communityId, 'JSON app');
    const created = await anonymous.post(`/open311/v2/requests.xml?api_key=${encodeURIComponent(key.apiKey)}`, {
      service_code: 'sanitation',
      address_id: buildingId,
    });
    expect(created.status).toBe(201);
    const request = xml.parse(created.body).service_requests.request;
    const staffView = await admin.get(`/api/v1/communities/${communityId}/cases/${request.service_request_id}`);
    expect(staffView.body).toMatchObject({ locationKind: 'building', buildingId, description: 'Sanitation and garbage sorting' });
  });

  it('refuses a missing, unknown or foreign api_key with 403 and bad input with 400 or 404, filing nothing', async () => {
    const key = await issueKey(communityId, 'Careful app');
    const before = (await admin.get(`/api/v1/communities/${communityId}/cases?limit=200`)).body.items.length;
    const fields = { service_code: 'noise', description: 'Loud music all night', address_id: unitId };
    const none = await form('/open311/v2/requests.json', fields);
    expect(none.status).toBe(403);
    expect(none.body).toEqual([{ code: 403, description: expect.stringMatching(/^API_KEY_INVALID: /) }]);
    const forged = await form('/open311/v2/requests.xml', { ...fields, api_key: `${key.apiKey.slice(0, -4)}AAAA` });
    expect(forged.status).toBe(403);
    expect(xml.parse(forged.body).errors.error.code).toBe('403');
    const foreign = await form('/open311/v2/requests.json', { ...fields, api_key: key.apiKey, jurisdiction_id: otherCode });
    expect(foreign.status).toBe(403);
    const badCode = await form('/open311/v2/requests.json', { ...fields, api_key: key.apiKey, service_code: 'ufo' });
    expect(badCode.status).toBe(400);
    expect(badCode.body[0]).toEqual({ code: 400, description: expect.stringMatching(/^VALIDATION_FAILED: service_code/) });
    const noAddress = await form('/open311/v2/requests.json', { api_key: key.apiKey, service_code: 'noise', lat: '31.2', long: '121.4' });
    expect(noAddress.status).toBe(400);
    expect(noAddress.body[0].description).toContain('address_id');
    const halfPoint = await form('/open311/v2/requests.json', { ...fields, api_key: key.apiKey, lat: '31.2' });
    expect(halfPoint.status).toBe(400);
    const nowhere = await form('/open311/v2/requests.json', { ...fields, api_key: key.apiKey, address_id: '0123456789abcdef01234567' });
    expect(nowhere.status).toBe(404);
    const after = (await admin.get(`/api/v1/communities/${communityId}/cases?limit=200`)).body.items.length;
    expect(after).toBe(before);
  });

  it('filters requests by ids, service codes, status and dates in the query, within 90 days', async () => {
    const key = await issueKey(communityId, 'Filter app');
    const file = async (serviceCode: string) =>
      (await form('/open311/v2/requests.json', { api_key: key.apiKey, service_code: serviceCode, description: 'Filter check', address_id: unitId })).body[0]
        .service_request_id as string;
    const noise = await file('noise');
    const hazard = await file('safety_hazard');
    const base = `/open311/v2/requests.json?jurisdiction_id=${code}`;
    const ids = (res: { body: Array<{ service_request_id: string }> }) => res.body.map((r) => r.service_request_id);

    expect(ids(await anonymous.get(`${base}&service_request_id=${hazard},${noise}&service_code=other`)).sort()).toEqual([hazard, noise].sort());
    const both = ids(await anonymous.get(`${base}&service_code=noise,safety_hazard&status=open`));
    expect(both).toEqual(expect.arrayContaining([noise, hazard]));
    const onlyHazard = ids(await anonymous.get(`${base}&service_code=safety_hazard`));
    expect(onlyHazard).toContain(hazard);
    expect(onlyHazard).not.toContain(noise);
    expect(await anonymous.get(`${base}&status=closed`)).toMatchObject({ status: 200, body: [] });
    const past = await anonymous.get(`${base}&start_date=2020-01-01T00:00:00Z&end_date=2020-03-01T00:00:00Z`);
    expect(past).toMatchObject({ status: 200, body: [] });
    const tooLong = await anonymous.get(`${base}&start_date=2020-01-01T00:00:00Z&end_date=2020-06-01T00:00:00Z`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body[0].description).toMatch(/^VALIDATION_FAILED: end_date/);
    expect((await anonymous.get(`${base}&status=pending`)).status).toBe(400);
    expect((await anonymous.get(`${base}&service_code=ufo`)).status).toBe(400);
  });

  it('records when a key was last used and refuses it once revoked', async () => {
    const key = await issueKey(communityId, 'Short-lived app');
    const fields = { api_key: key.apiKey, service_code: 'noise', description: 'Barking dog all day', address_id: unitId };
    expect((await form('/open311/v2/requests.json', fields)).status).toBe(201);
    const used = (await admin.get(`/api/v1/communities/${communityId}/open311-keys`)).body.items.find((k: { id: string }) => k.id === key.id);
    expect(Date.parse(used.lastUsedAt)).toBeGreaterThan(Date.now() - 60_000);

    expect((await resident.call('DELETE', `/api/v1/communities/${communityId}/open311-keys/${key.id}`)).status).toBe(403);
    const revoked = await admin.call('DELETE', `/api/v1/communities/${communityId}/open311-keys/${key.id}`);
    expect(revoked.status).toBe(204);
    expect((await admin.call('DELETE', `/api/v1/communities/${communityId}/open311-keys/${key.id}`)).status).toBe(204);
    expect((await form('/open311/v2/requests.json', fields)).status).toBe(403);
    const listed = (await admin.get(`/api/v1/communities/${communityId}/open311-keys`)).body.items.find((k: { id: string }) => k.id === key.id);
    expect(listed.revokedAt).toBeDefined();
    const unknown = await admin.call('DELETE', `/api/v1/communities/${communityId}/open311-keys/0123456789abcdef01234567`);
    expect(unknown.status).toBe(404);
  });

  it('keeps a key revoked when filings with it race the revocation', async () => {
    const key = await issueKey(communityId, 'Racing app');
    const fields = { api_key: key.apiKey, service_code: 'noise', description: 'Racing the revocation', address_id: unitId };
    const [revocation, ...filings] = await Promise.all([
      admin.call('DELETE', `/api/v1/communities/${communityId}/open311-keys/${key.id}`),
      ...Array.from({ length: 8 }, () => form('/open311/v2/requests.json', fields)),
    ]);
    expect(revocation.status).toBe(204);
    for (const filing of filings) expect([201, 403]).toContain(filing.status);
    const listed = (await admin.get(`/api/v1/communities/${communityId}/open311-keys`)).body.items.find((k: { id: string }) => k.id === key.id);
    expect(listed.revokedAt).toBeDefined();
    expect((await form('/open311/v2/requests.json', fields)).status).toBe(403);
  });

  it('documents every Open311 route, its formats and its errors in the OpenAPI document', async () => {
    const doc = (await anonymous.get('/docs-json')).body;
    const paths = Object.keys(doc.paths).filter((path) => path.includes('open311'));
    expect(paths.sort()).toEqual(
      [
        '/api/v1/communities/{communityId}/open311-keys',
        '/api/v1/communities/{communityId}/open311-keys/{keyId}',
        '/open311/v2/discovery.{format}',
        '/open311/v2/requests.{format}',
        '/open311/v2/requests/{service_request_id}.{format}',
        '/open311/v2/services.{format}',
        '/open311/v2/services/{service_code}.{format}',
        '/open311/v2/tokens/{token}.{format}',
      ].sort(),
    );
    const post = doc.paths['/open311/v2/requests.{format}'].post;
    expect(Object.keys(post.requestBody.content)).toEqual(['application/x-www-form-urlencoded', 'application/json']);
    expect(Object.keys(post.responses['201'].content)).toEqual(['application/json', 'text/xml']);
    expect(post.responses['403'].description).toContain('API_KEY_INVALID');
    expect(post.security ?? []).toEqual([]);
  });

  it('works with the georeport client from PyPI: services, a definition, a filing with an api_key and reading it back', async () => {
    const key = await issueKey(communityId, 'georeport client');
    const { stdout } = await promisify(execFile)(
      'python3',
      [CLIENT_CHECK, `${system.baseUrl}/open311/v2`, code, key.apiKey, unitId],
      { env: { ...process.env, PYTHONPATH: PYTHON_PACKAGES }, timeout: 60_000 },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const outcome = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    expect(outcome.steps.filter((s: { ok: boolean }) => !s.ok)).toEqual([]);
    expect(outcome).toMatchObject({ passed: 8, total: 8 });
  });
});
