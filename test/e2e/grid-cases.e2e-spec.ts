import {
  CaseCategory,
  CaseLocationKind,
  CaseStatus,
  CaseUrgency,
  ErrorCode,
  Principal,
  Role,
} from '@cg/contracts';
import { TokenService } from '@cg/auth';
import { ADMIN, TestSystem, client } from './support/system';

describe('cases through the gateway', () => {
  const system = new TestSystem();
  let admin: ReturnType<typeof client>;
  let resident: ReturnType<typeof client>;
  let worker: ReturnType<typeof client>;
  let staff: ReturnType<typeof client>;
  let outsider: ReturnType<typeof client>;
  let communityId: string;
  let gridId: string;
  let buildingId: string;
  let unitId: string;

  const as = (principal: Principal) =>
    client(system.baseUrl, new TokenService(system.jwtSecret, 3600).issue(principal));
  const cases = () => `/api/v1/communities/${communityId}/cases`;
  const fileNoise = () =>
    resident.post(cases(), {
      category: CaseCategory.Noise,
      urgency: CaseUrgency.Normal,
      description: 'Drilling every evening after ten',
      locationKind: CaseLocationKind.Unit,
      locationId: unitId,
      photoUrls: ['https://files.example.org/noise/1.jpg'],
    });

  beforeAll(async () => {
    await system.start();
    const login = await client(system.baseUrl).post('/api/v1/auth/login', ADMIN);
    admin = client(system.baseUrl, login.body.accessToken);
    const community = await admin.post('/api/v1/communities', {
      code: `KC${system.id}`,
      name: 'K',
      district: 'Xuhui District',
      street: 'Kangjian Street',
    });
    communityId = community.body.id;
    const other = await admin.post('/api/v1/communities', {
      code: `OC${system.id}`,
      name: 'O',
      district: 'Xuhui District',
      street: 'Kangjian Street',
    });
    const area = await admin.post(`/api/v1/communities/${communityId}/areas`, { code: 'A1', name: 'Area 1' });
    gridId = (
      await admin.post(`/api/v1/communities/${communityId}/grids`, {
        areaId: area.body.id,
        code: 'G01',
        name: 'Grid 1',
      })
    ).body.id;
    const bulk = await admin.post(`/api/v1/communities/${communityId}/buildings/bulk`, {
      gridId,
      buildings: [{ code: 'B001', floors: 2, unitsPerFloor: 2 }],
    });
    buildingId = bulk.body.buildings[0].id;
    unitId = (await admin.get(`/api/v1/communities/${communityId}/buildings/${buildingId}/units`)).body
      .items[0].id;
    resident = as({
      sub: 'acct-resident',
      personId: '65f000000000000000000001',
      name: 'Li Ming',
      roles: [Role.Resident],
      communityIds: [communityId],
    });
    const workerPrincipal = {
      sub: 'acct-worker',
      personId: '65f0000000000000000000f1',
      name: 'Zhao Lei',
      roles: [Role.GridWorker],
      communityIds: [communityId],
    };
    worker = as(workerPrincipal);
    // A grid worker handles the cases of the grids they staff.
    const term = await admin.post(`/api/v1/communities/${communityId}/staff`, {
      nodeId: gridId,
      position: 'grid_staff',
      name: workerPrincipal.name,
      personId: workerPrincipal.personId,
    });
    expect(term.status).toBe(201);
    staff = as({
      sub: 'acct-staff',
      name: 'Chen Jing',
      roles: [Role.CommunityStaff],
      communityIds: [communityId],
    });
    outsider = as({
      sub: 'acct-outsider',
      name: 'Wu Hao',
      roles: [Role.CommunityStaff],
      communityIds: [other.body.id],
    });
  });

  afterAll(async () => {
    await system.stop();
  });

  it('takes a case from filing to closing with the reporter rating, recording every step', async () => {
    const filed = await fileNoise();
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({
      status: CaseStatus.Reported,
      gridId,
      buildingId,
      unitId,
      flag: 'green',
      escalationLevel: 'grid',
    });
    const url = `${cases()}/${filed.body.id}`;
    expect((await worker.post(`${url}/accept`, { expectedVersion: 0, note: 'Signed for' })).status).toBe(200);
    expect(
      (await worker.post(`${url}/assign`, { assigneeKind: 'building_leader', assigneeName: 'Sun Li' }))
        .status,
    ).toBe(200);
    expect((await worker.post(`${url}/start`, {})).status).toBe(200);
    const resolved = await worker.post(`${url}/resolve`, { note: 'Agreed quiet hours with the neighbour' });
    expect(resolved.body).toMatchObject({ status: CaseStatus.Resolved, version: 4 });
    const closed = await resident.post(`${url}/rate`, { rating: 'satisfied', comment: 'Quiet now' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      status: CaseStatus.Closed,
      rating: 'satisfied',
      ratingComment: 'Quiet now',
    });
    expect(
      closed.body.history.map((h: { action: string; by: { name: string } }) => [h.action, h.by.name]),
    ).toEqual([
      ['file', 'Li Ming'],
      ['accept', 'Zhao Lei'],
      ['assign', 'Zhao Lei'],
      ['start', 'Zhao Lei'],
      ['resolve', 'Zhao Lei'],
      ['rate', 'Li Ming'],
    ]);
    const mine = await resident.get(cases());
    expect(mine.body.items.map((c: { id: string }) => c.id)).toContain(filed.body.id);
  });

  it('refuses an illegal step with 409 INVALID_TRANSITION and a stale version with 409 CONFLICT', async () => {
    const filed = await fileNoise();
    const url = `${cases()}/${filed.body.id}`;
    const early = await worker.post(`${url}/resolve`, {});
    expect(early.status).toBe(409);
    expect(early.headers.get('content-type')).toContain('application/problem+json');
    expect(early.body.code).toBe(ErrorCode.INVALID_TRANSITION);
    const rating = await resident.post(`${url}/rate`, { rating: 'satisfied' });
    expect(rating.body.code).toBe(ErrorCode.INVALID_TRANSITION);
    await worker.post(`${url}/accept`, {});
    const stale = await worker.post(`${url}/assign`, {
      expectedVersion: 0,
      assigneeKind: 'volunteer',
      assigneeName: 'V',
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe(ErrorCode.CONFLICT);
    expect((await resident.post(`${url}/accept`, {})).status).toBe(403);
  });

  it('lets exactly one of two concurrent accepts win, and one of two concurrent assigns', async () => {
    const filed = await fileNoise();
    const url = `${cases()}/${filed.body.id}`;
    const accepts = await Promise.all([worker.post(`${url}/accept`, {}), staff.post(`${url}/accept`, {})]);
    expect(accepts.map((r) => r.status).sort()).toEqual([200, 409]);
    const assigns = await Promise.all([
      worker.post(`${url}/assign`, { assigneeKind: 'grid_staff', assigneeName: 'Zhao Lei' }),
      staff.post(`${url}/assign`, { assigneeKind: 'party_member', assigneeName: 'Qian Wei' }),
    ]);
    expect(assigns.map((r) => r.status).sort()).toEqual([200, 409]);
    const stored = await staff.get(url);
    expect(stored.body.history.map((h: { action: string }) => h.action)).toEqual([
      'file',
      'accept',
      'assign',
    ]);
    const winner = assigns.find((r) => r.status === 200)!;
    expect(stored.body.assignee).toEqual(winner.body.assignee);
  });

  it("keeps staff of another community out of this community's cases", async () => {
    const filed = await fileNoise();
    expect((await outsider.get(`${cases()}/${filed.body.id}`)).status).toBe(403);
    expect((await outsider.post(`${cases()}/${filed.body.id}/accept`, {})).status).toBe(403);
    expect((await outsider.get(cases())).status).toBe(403);
  });

  it('answers statistics for the grid and documents the case routes', async () => {
    const from = encodeURIComponent(new Date(Date.now() - 3600_000).toISOString());
    const to = encodeURIComponent(new Date(Date.now() + 3600_000).toISOString());
    const stats = await staff.get(`${cases()}/statistics?from=${from}&to=${to}&gridId=${gridId}`);
    expect(stats.status).toBe(200);
    expect(stats.body.total).toBe(4);
    expect(stats.body.byCategory).toEqual([{ category: 'noise', count: 4 }]);
    expect(stats.body).toMatchObject({
      resolvedCount: 1,
      onTimeRate: '100.00',
      satisfactionRate: '100.00',
      reopenedRate: '0.00',
    });
    expect((await resident.get(`${cases()}/statistics?from=${from}&to=${to}`)).status).toBe(403);
    const doc = await client(system.baseUrl).get('/docs-json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/communities/{communityId}/cases',
        '/api/v1/communities/{communityId}/cases/statistics',
        '/api/v1/communities/{communityId}/cases/{caseId}/accept',
        '/api/v1/communities/{communityId}/cases/{caseId}/extensions/decision',
      ]),
    );
  });

  it('finds cases for staff by words, status set, building, assignee, period and overdue', async () => {
    const before = new Date().toISOString();
    const leak = await resident.post(cases(), {
      category: CaseCategory.Other,
      urgency: CaseUrgency.Normal,
      description: 'Water LEAK under the kitchen sink',
      locationKind: CaseLocationKind.Unit,
      locationId: unitId,
    });
    expect(leak.status).toBe(201);
    const ids = async (query: string) => {
      const page = await staff.get(`${cases()}?limit=200&${query}`);
      expect(page.status).toBe(200);
      return (page.body.items as { id: string }[]).map((c) => c.id);
    };
    expect(await ids('q=water%20leak')).toEqual([leak.body.id]);
    expect(await ids('q=no%20such%20words')).toEqual([]);
    expect(await ids(`q=leak&from=${encodeURIComponent(before)}`)).toEqual([leak.body.id]);
    expect(await ids(`q=leak&to=${encodeURIComponent(before)}`)).toEqual([]);
    expect(await ids(`q=leak&buildingId=${buildingId}`)).toEqual([leak.body.id]);
    expect(await ids('q=leak&status=reported,accepted')).toEqual([leak.body.id]);
    expect(await ids('q=leak&status=closed&status=resolved')).toEqual([]);
    expect(await ids('q=leak&overdue=true')).toEqual([]);
    await worker.post(`${cases()}/${leak.body.id}/accept`, {});
    await worker.post(`${cases()}/${leak.body.id}/assign`, {
      assigneeKind: 'grid_staff',
      assigneeName: 'Zhao Lei',
      assigneePersonId: '65f0000000000000000000f1',
    });
    expect(await ids('assigneePersonId=65f0000000000000000000f1')).toContain(leak.body.id);
    const bad = await staff.get(`${cases()}?status=nonsense`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('status');
  });
});
