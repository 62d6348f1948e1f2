import { CaseCategory, CaseLocationKind, CaseUrgency, ErrorCode, Principal, Role } from '@cg/contracts';
import { TokenService } from '@cg/auth';
import { createApiClient } from '@cg/api-client';
import { connect, NatsConnection } from 'nats';
import { randomUUID } from 'node:crypto';
import { writeDigest } from '../../apps/api-gateway/src/http/idempotency';
import { ADMIN, TestSystem, client } from './support/system';

describe('retrying a write with an Idempotency-Key', () => {
  const system = new TestSystem();
  let nats: NatsConnection;
  let admin: ReturnType<typeof client>;
  let communityId: string;
  let unitId: string;
  let tokens: TokenService;

  const residentPrincipal = (n: number): Principal => ({
    sub: `acct-resident-${n}`,
    personId: `65f00000000000000000000${n}`,
    name: `Resident ${n}`,
    roles: [Role.Resident],
    communityIds: [communityId],
  });
  const as = (principal: Principal) => client(system.baseUrl, tokens.issue(principal));
  const cases = () => `/api/v1/communities/${communityId}/cases`;
  const noise = (description = 'Drilling every evening after ten') => ({
    category: CaseCategory.Noise,
    urgency: CaseUrgency.Normal,
    description,
    locationKind: CaseLocationKind.Unit,
    locationId: unitId,
  });
  const staffCases = async (marker: string) => {
    const staff = as({ sub: 'acct-staff', name: 'Chen Jing', roles: [Role.CommunityStaff], communityIds: [communityId] });
    const page = await staff.get(`${cases()}?limit=100`);
    expect(page.status).toBe(200);
    return (page.body.items as { id: string; description: string }[]).filter((c) => c.description.includes(marker));
  };

  beforeAll(async () => {
    await system.start();
    tokens = new TokenService(system.jwtSecret, 3600);
    nats = await connect({ servers: process.env.NATS_URL });
    const login = await client(system.baseUrl).post('/api/v1/auth/login', ADMIN);
    admin = client(system.baseUrl, login.body.accessToken);
    communityId = (
      await admin.post('/api/v1/communities', { code: `IK${system.id}`, name: 'K', district: 'Xuhui District', street: 'Kangjian Street' })
    ).body.id;
    const area = await admin.post(`/api/v1/communities/${communityId}/areas`, { code: 'A1', name: 'Area 1' });
    const gridId = (
      await admin.post(`/api/v1/communities/${communityId}/grids`, { areaId: area.body.id, code: 'G01', name: 'Grid 1' })
    ).body.id;
    const bulk = await admin.post(`/api/v1/communities/${communityId}/buildings/bulk`, {
      gridId,
      buildings: [{ code: 'B001', floors: 1, unitsPerFloor: 2 }],
    });
    unitId = (await admin.get(`/api/v1/communities/${communityId}/buildings/${bulk.body.buildings[0].id}/units`)).body.items[0].id;
  });

  afterAll(async () => {
    await nats?.close();
    await system.stop();
  });

  it('answers the first reply again and stores the case once', async () => {
    const resident = as(residentPrincipal(1));
    const key = randomUUID();
    const first = await resident.post(cases(), noise('first-reply marker'), { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await resident.post(cases(), noise('first-reply marker'), { 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    // Filed as the resident, not as the gateway.
    expect(first.body.reporter).toMatchObject({ sub: 'acct-resident-1', name: 'Resident 1' });
    expect(await staffCases('first-reply marker')).toHaveLength(1);
  });

  it('refuses the same key with another body with 422 and writes nothing', async () => {
    const resident = as(residentPrincipal(1));
    const key = randomUUID();
    expect((await resident.post(cases(), noise('reused-key marker A'), { 'idempotency-key': key })).status).toBe(201);
    const other = await resident.post(cases(), noise('reused-key marker B'), { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe(ErrorCode.IDEMPOTENCY_KEY_REUSED);
    expect(await staffCases('reused-key marker B')).toHaveLength(0);
  });

  it('refuses a malformed key with 400', async () => {
    const resident = as(residentPrincipal(1));
    const bad = await resident.post(cases(), noise('bad-key marker'), { 'idempotency-key': 'x'.repeat(256) });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(await staffCases('bad-key marker')).toHaveLength(0);
  });

  it('keeps keys per caller: the same key from another resident is another write', async () => {
    const key = randomUUID();
    const one = await as(residentPrincipal(1)).post(cases(), noise('per-caller marker'), { 'idempotency-key': key });
    const two = await as(residentPrincipal(2)).post(cases(), noise('per-caller marker'), { 'idempotency-key': key });
    expect([one.status, two.status]).toEqual([201, 201]);
    expect(two.body.id).not.toBe(one.body.id);
    expect(await staffCases('per-caller marker')).toHaveLength(2);
  });

  it('stores nothing twice when the first reply was lost after the write', async () => {
    // The first attempt's reply never reached the gateway's store (a 504, a gateway that died): the record holds the
    // request but no reply, so the retry runs again and the grid service finds the case it stored.
    const principal = residentPrincipal(3);
    const resident = as(principal);
    const key = randomUUID();
    const first = await resident.post(cases(), noise('lost-reply marker'), { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const kv = await nats.jetstream().views.kv('idempotency_keys');
    const digest = writeDigest(principal.sub, key);
    const kept = (await kv.get(digest))!.json<{ reply?: unknown }>();
    delete kept.reply;
    await kv.put(digest, JSON.stringify(kept));

    const retried = await resident.post(cases(), noise('lost-reply marker'), { 'idempotency-key': key });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(retried.body.id).toBe(first.body.id);
    expect(retried.body.reporter).toMatchObject({ sub: 'acct-resident-3' });
    expect(await staffCases('lost-reply marker')).toHaveLength(1);
  });

  it('files concurrent attempts of one write once', async () => {
    const resident = as(residentPrincipal(4));
    const key = randomUUID();
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => resident.post(cases(), noise('concurrent marker'), { 'idempotency-key': key })),
    );
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect(await staffCases('concurrent marker')).toHaveLength(1);
  });

  it('the typed client sends a key with every POST, so a retry it makes is safe', async () => {
    const seen: string[] = [];
    const api = createApiClient(system.baseUrl, tokens.issue(residentPrincipal(5)));
    api.use({ onRequest: ({ request }) => void seen.push(request.headers.get('idempotency-key') ?? '') });
    const { response } = await api.POST('/api/v1/communities/{communityId}/cases', {
      params: { path: { communityId } },
      body: noise('typed-client marker'),
    });
    expect(response.status).toBe(201);
    expect(seen[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the typed client retries a write refused while the service is down, and it lands once', async () => {
    const api = createApiClient(system.baseUrl, tokens.issue(residentPrincipal(6)), { writeRetries: 10, maxRetryDelayMs: 1000 });
    await system.stopService('grid');
    const filing = api.POST('/api/v1/communities/{communityId}/cases', {
      params: { path: { communityId } },
      body: noise('typed-retry marker'),
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await system.startGrid();
    const { response, data } = await filing;
    expect(response.status).toBe(201);
    expect(data?.id).toBeDefined();
    expect(await staffCases('typed-retry marker')).toHaveLength(1);
  });
});
