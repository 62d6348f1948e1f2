import { ServiceName, Role } from '@cg/contracts';
import { startServiceApp } from '@cg/messaging';
import { ActivitiesAppModule } from '../../apps/activities/src/app.module';
import { ADMIN, TestSystem, client } from './support/system';

const METRICS_TOKEN = 'e2e-metrics-token-0123456789';

/** The sum of `view_sections_total` over the series carrying every label given. */
function sectionsCounted(exposition: string, labels: Record<string, string>): number {
  return exposition
    .split('\n')
    .filter((line) => line.startsWith('view_sections_total{'))
    .filter((line) => Object.entries(labels).every(([name, value]) => line.includes(`${name}="${value}"`)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('a degraded system says so in its views, its metrics and its readiness', () => {
  const system = new TestSystem();
  let staff: ReturnType<typeof client>;
  let resident: ReturnType<typeof client>;
  let cid: string;

  async function login(username: string, password: string) {
    const res = await client(system.baseUrl).post('/api/v1/auth/login', { username, password });
    return client(system.baseUrl, res.body.accessToken);
  }

  const scrape = async () => {
    const res = await client(system.baseUrl, METRICS_TOKEN).get<string>('/metrics');
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    await system.start({ metricsToken: METRICS_TOKEN });
    const admin = await login(ADMIN.username, ADMIN.password);
    cid = (await admin.post('/api/v1/communities', { code: `D${system.id}`, name: 'Degraded', district: 'D', street: 'S' })).body.id;
    const area = await admin.post(`/api/v1/communities/${cid}/areas`, { code: 'A1', name: 'Area 1' });
    const gridId = (await admin.post(`/api/v1/communities/${cid}/grids`, { areaId: area.body.id, code: 'G1', name: 'Grid 1' })).body.id;
    const bulk = await admin.post(`/api/v1/communities/${cid}/buildings/bulk`, { gridId, buildings: [{ code: 'B1', floors: 1, unitsPerFloor: 2 }] });
    const units = await admin.get(`/api/v1/communities/${cid}/buildings/${bulk.body.buildings[0].id}/units`);
    await admin.post('/api/v1/accounts', {
      username: `staff.${system.id}`,
      password: 'degraded-password-1',
      name: 'Staff',
      roles: [Role.CommunityStaff],
      communityIds: [cid],
    });
    staff = await login(`staff.${system.id}`, 'degraded-password-1');
    const registered = await staff.post(`/api/v1/communities/${cid}/residents`, {
      name: 'Lin Mei',
      phone: '13600000000',
      unitId: units.body.items[0].id,
      relation: 'owner',
      account: { username: `lin.mei.${system.id}`, password: 'resident-password' },
    });
    expect(registered.status).toBe(201);
    resident = await login(`lin.mei.${system.id}`, 'resident-password');
  });

  afterAll(async () => {
    await system.stop();
  });

  it('reports every backend service up while all of them run', async () => {
    const ready = await client(system.baseUrl).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'up',
      checks: { nats: 'up', 'nats-rpc': 'up', membership: 'up', grid: 'up', activities: 'up', property: 'up', notifications: 'up' },
    });
    const me = await resident.get('/api/v1/me');
    expect(me.body.degraded).toBe(false);
  });

  it('marks the sections of a stopped service unavailable, the views degraded, and counts them', async () => {
    const before = await scrape();
    await system.stopService(ServiceName.Activities);

    const me = await resident.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.degraded).toBe(true);
    for (const name of ['activities', 'microWishes', 'announcements']) {
      expect({ name, ...me.body[name] }).toMatchObject({ name, status: 'unavailable', error: { code: 'SERVICE_UNAVAILABLE' } });
    }
    for (const name of ['profile', 'residence', 'cases', 'ballots', 'volunteerHours']) {
      expect({ name, status: me.body[name].status }).toEqual({ name, status: 'ok' });
    }

    const dashboard = await staff.get(`/api/v1/communities/${cid}/dashboard`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.degraded).toBe(true);
    expect(dashboard.body.activities.status).toBe('unavailable');
    expect(dashboard.body.microWishes.status).toBe('unavailable');
    expect(dashboard.body.cases.status).toBe('ok');

    const after = await scrape();
    const grew = (labels: Record<string, string>) => sectionsCounted(after, labels) - sectionsCounted(before, labels);
    expect(grew({ view: 'me', section: 'activities', outcome: 'unavailable' })).toBe(1);
    expect(grew({ view: 'me', section: 'announcements', outcome: 'unavailable' })).toBe(1);
    expect(grew({ view: 'me', section: 'profile', outcome: 'ok' })).toBe(1);
    expect(grew({ view: 'community_dashboard', section: 'microWishes', outcome: 'unavailable' })).toBe(1);
    expect(grew({ view: 'community_dashboard', section: 'cases', outcome: 'ok' })).toBe(1);
  });

  it('keeps the gateway ready but degraded, naming the missing service', async () => {
    const ready = await client(system.baseUrl).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('degraded');
    expect(ready.body.checks).toMatchObject({ 'nats-rpc': 'up', membership: 'up', grid: 'up', property: 'up' });
    expect(ready.body.checks.activities).toMatch(/^down: .*activities/);
  });

  it('is up and whole again once the service is back', async () => {
    const config = system.config(ServiceName.Activities);
    system.activities = await startServiceApp(ActivitiesAppModule.register(config), config);
    const ready = await client(system.baseUrl).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('up');
    const me = await resident.get('/api/v1/me');
    expect(me.body.degraded).toBe(false);
    expect(me.body.activities.status).toBe('ok');
  });

  it('serves metrics only to the metrics token and leaves health open', async () => {
    const anonymous = await client(system.baseUrl).get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    expect(anonymous.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect((await client(system.baseUrl, 'not-the-metrics-token').get('/metrics')).status).toBe(401);
    // A user's bearer token is not the metrics token.
    expect((await resident.get('/metrics')).status).toBe(401);
    expect(String(await scrape())).toContain('view_sections_total');
    expect((await client(system.baseUrl).get('/health/live')).status).toBe(200);
    expect((await client(system.baseUrl).get('/health/ready')).status).toBe(200);
  });
});
