import { PropertyRpc, Role } from '@cg/contracts';
import { connect } from 'nats';
import { ADMIN, TestSystem, client } from './support/system';

describe('role-shaped views answer in one call and report failing sections', () => {
  const system = new TestSystem();
  let admin: ReturnType<typeof client>;
  let staff: ReturnType<typeof client>;
  let worker: ReturnType<typeof client>;
  let resident: ReturnType<typeof client>;
  let cid: string;
  let gridId: string;
  let personId: string;
  let caseId: string;

  async function login(username: string, password: string) {
    const res = await client(system.baseUrl).post('/api/v1/auth/login', { username, password });
    return client(system.baseUrl, res.body.accessToken);
  }

  beforeAll(async () => {
    await system.start();
    admin = await login(ADMIN.username, ADMIN.password);
    cid = (await admin.post('/api/v1/communities', { code: `V${system.id}`, name: 'Views', district: 'D', street: 'S' })).body.id;
    const area = await admin.post(`/api/v1/communities/${cid}/areas`, { code: 'A1', name: 'Area 1' });
    gridId = (await admin.post(`/api/v1/communities/${cid}/grids`, { areaId: area.body.id, code: 'G1', name: 'Grid 1' })).body.id;
    const bulk = await admin.post(`/api/v1/communities/${cid}/buildings/bulk`, { gridId, buildings: [{ code: 'B1', floors: 2, unitsPerFloor: 2 }] });
    const units = await admin.get(`/api/v1/communities/${cid}/buildings/${bulk.body.buildings[0].id}/units`);
    for (const [username, role] of [
      [`staff.${system.id}`, Role.CommunityStaff],
      [`worker.${system.id}`, Role.GridWorker],
    ] as const) {
      await admin.post('/api/v1/accounts', { username, password: 'view-password-1', name: username, roles: [role], communityIds: [cid] });
    }
    staff = await login(`staff.${system.id}`, 'view-password-1');
    worker = await login(`worker.${system.id}`, 'view-password-1');
    const registered = await staff.post(`/api/v1/communities/${cid}/residents`, {
      name: 'Gao Lan',
      phone: '13500000000',
      unitId: units.body.items[0].id,
      relation: 'owner',
      account: { username: `gao.lan.${system.id}`, password: 'resident-password' },
    });
    personId = registered.body.id;
    resident = await login(`gao.lan.${system.id}`, 'resident-password');
    const filed = await resident.post(`/api/v1/communities/${cid}/cases`, {
      category: 'noise',
      description: 'Karaoke until two in the morning',
      urgency: 'normal',
      locationKind: 'unit',
      locationId: units.body.items[0].id,
    });
    expect(filed.status).toBe(201);
    caseId = filed.body.id;
    const wish = await resident.post(`/api/v1/communities/${cid}/micro-wishes`, {
      what: 'A second-hand bicycle for my daughter',
      why: 'Her new school is three kilometres away',
      neededBy: new Date(Date.now() + 20 * 24 * 3600 * 1000).toISOString().slice(0, 10),
      category: 'daily_needs',
    });
    expect(wish.status).toBe(201);
    const hours = await staff.post(`/api/v1/communities/${cid}/volunteer-hours`, { personId, hours: '2.50', description: 'School gate safety watch' });
    expect(hours.status).toBe(201);
  });

  afterAll(async () => {
    await system.stop();
  });

  it("gives the resident's home screen with every section", async () => {
    const me = await resident.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.degraded).toBe(false);
    for (const name of ['profile', 'residence', 'cases', 'activities', 'microWishes', 'ballots', 'volunteerHours', 'announcements']) {
      expect({ name, status: me.body[name].status }).toEqual({ name, status: 'ok' });
    }
    expect(me.body.cases.data.map((c: { id: string }) => c.id)).toEqual([caseId]);
    expect(me.body.volunteerHours.data.totalHours).toBe('2.50');
    expect(me.body.microWishes.data).toEqual([expect.objectContaining({ what: 'A second-hand bicycle for my daughter', status: 'pending_review' })]);
  });

  it('gives community staff the dashboard with case statistics', async () => {
    const res = await staff.get(`/api/v1/communities/${cid}/dashboard`);
    expect(res.status).toBe(200);
    expect(res.body.cases).toMatchObject({ status: 'ok', data: { total: 1 } });
    expect(res.body.degraded).toBe(false);
    for (const name of ['ballots', 'activities', 'dualRegistration', 'microWishes']) {
      expect({ name, status: res.body[name].status }).toEqual({ name, status: 'ok' });
    }
  });

  it("gives the grid worker the grid's open cases", async () => {
    const res = await worker.get(`/api/v1/communities/${cid}/grids/${gridId}/workbench`);
    expect(res.status).toBe(200);
    const listed = [...res.body.overdue.data, ...res.body.dueToday.data].map((c: { id: string }) => c.id);
    expect(res.body.overdue.status).toBe('ok');
    expect(listed.length).toBeLessThanOrEqual(1);
    expect(res.body.assignedToMe.status).toBe('not_applicable');
    // A section that does not apply is not a missing one.
    expect(res.body.degraded).toBe(false);
    expect(res.body.partyMembers).toMatchObject({ status: 'ok' });
    expect(res.body.lastMeeting).toMatchObject({ status: 'ok', data: { actionItems: [] } });
  });

  it('gives the district administrator every community with its figures, and refuses staff', async () => {
    const res = await admin.get('/api/v1/district/dashboard');
    expect(res.status).toBe(200);
    const mine = res.body.communities.find((c: { community: { id: string } }) => c.community.id === cid);
    expect(mine.cases).toMatchObject({ status: 'ok', data: { total: 1 } });
    expect(mine.degraded).toBe(false);
    expect(res.body.degraded).toBe(false);
    expect((await staff.get('/api/v1/district/dashboard')).status).toBe(403);
  });

  it('marks the ballots section unavailable while property is down and still answers the rest', async () => {
    await system.stopService('property');
    const res = await staff.get(`/api/v1/communities/${cid}/dashboard`);
    expect(res.status).toBe(200);
    expect(res.body.ballots).toMatchObject({ status: 'unavailable', error: { code: 'SERVICE_UNAVAILABLE' } });
    expect(res.body.cases.status).toBe('ok');
    expect(res.body.degraded).toBe(true);
    const me = await resident.get('/api/v1/me');
    expect(me.body.ballots.status).toBe('unavailable');
    expect(me.body.profile.status).toBe('ok');
    expect(me.body.degraded).toBe(true);
  });

  it('reports a section whose service hangs as timed out, within its budget, and answers the rest', async () => {
    // A property instance that takes requests and never answers.
    const nc = await connect({ servers: process.env.NATS_URL });
    const hung = nc.subscribe(PropertyRpc.listBallots.subject, { queue: 'property' });
    try {
      const res = await staff.get(`/api/v1/communities/${cid}/dashboard`);
      expect(res.status).toBe(200);
      expect(res.body.ballots).toMatchObject({ status: 'timed_out', error: { code: 'UPSTREAM_TIMEOUT' } });
      expect(res.body.cases.status).toBe('ok');
      expect(res.body.activities.status).toBe('ok');
      expect(res.body.degraded).toBe(true);
    } finally {
      hung.unsubscribe();
      await nc.close();
    }
  });
});
