import { CaseCategory, CaseLocationKind, CaseUrgency, ErrorCode, Role } from '@cg/contracts';
import { TokenService } from '@cg/auth';
import { ADMIN, TestSystem, client } from './support/system';

describe('working calendars through the gateway', () => {
  const system = new TestSystem();
  let admin: ReturnType<typeof client>;
  let communityId: string;
  const district = `Calendar District ${system.id}`;
  const path = (scope: string) => `/api/v1/calendars/${encodeURIComponent(scope)}`;

  beforeAll(async () => {
    await system.start();
    admin = client(system.baseUrl, (await client(system.baseUrl).post('/api/v1/auth/login', ADMIN)).body.accessToken);
    communityId = (
      await admin.post('/api/v1/communities', { code: `CAL${system.id}`, name: 'K', district, street: 'Kangjian Street' })
    ).body.id;
  });

  afterAll(async () => {
    await system.stop();
  });

  it('starts with the published national years and says how far they reach', async () => {
    const national = await admin.get(path('national'));
    expect(national.status).toBe(200);
    expect(national.body.through).toBe('2026-12-31');
    expect(national.body.years.map((y: { year: number }) => y.year)).toEqual([2025, 2026]);
    expect(national.body.years[1].holidays).toContain('2026-10-01');
  });

  it('lets the district admin enter the next year, refuses a stale revision and bad dates, and keeps staff to reading', async () => {
    const year2027 = { holidays: ['2027-01-01'], makeUpWorkdays: [] as string[] };
    const entered = await admin.put(`${path('national')}/2027`, year2027);
    expect(entered.status).toBe(200);
    expect(entered.body).toMatchObject({ year: 2027, scope: 'national', revision: 1 });
    const again = await admin.put(`${path('national')}/2027`, year2027);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe(ErrorCode.CONFLICT);
    const corrected = await admin.put(`${path('national')}/2027`, { ...year2027, holidays: ['2027-01-01', '2027-02-06'], expectedRevision: 1 });
    expect(corrected.body.revision).toBe(2);
    const bad = await admin.put(`${path('national')}/2027`, { holidays: ['2027-13-01'], makeUpWorkdays: ['2027-02-08'], expectedRevision: 2 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['holidays[0]', 'makeUpWorkdays[0]']);
    expect((await admin.get(path('national'))).body.through).toBe('2027-12-31');

    const staff = client(
      system.baseUrl,
      new TokenService(system.jwtSecret, 3600).issue({ sub: 'acct-staff', name: 'Chen', roles: [Role.CommunityStaff], communityIds: [communityId] }),
    );
    expect((await staff.get(path(district))).status).toBe(200);
    expect((await staff.put(`${path(district)}/2027`, year2027)).status).toBe(403);
  });

  it("keeps a district's own days beside the national years, and marks a deadline past the calendar as provisional", async () => {
    const local = await admin.put(`${path(district)}/2026`, { holidays: ['2026-12-30'], makeUpWorkdays: [] });
    expect(local.status).toBe(200);
    const calendar = (await admin.get(path(district))).body;
    expect(calendar.years.map((y: { scope: string; year: number }) => `${y.scope}:${y.year}`)).toEqual(
      expect.arrayContaining(['national:2027', `${district}:2026`]),
    );
    const area = await admin.post(`/api/v1/communities/${communityId}/areas`, { code: 'A1', name: 'Area 1' });
    const gridId = (await admin.post(`/api/v1/communities/${communityId}/grids`, { areaId: area.body.id, code: 'G1', name: 'G' })).body.id;
    const bulk = await admin.post(`/api/v1/communities/${communityId}/buildings/bulk`, { gridId, buildings: [{ code: 'B1', floors: 1, unitsPerFloor: 1 }] });
    const resident = client(
      system.baseUrl,
      new TokenService(system.jwtSecret, 3600).issue({
        sub: 'acct-resident',
        personId: '65f000000000000000000001',
        name: 'Li',
        roles: [Role.Resident],
        communityIds: [communityId],
      }),
    );
    const filed = await resident.post(`/api/v1/communities/${communityId}/cases`, {
      category: CaseCategory.HomeAsBusiness,
      urgency: CaseUrgency.Normal,
      description: 'A shop in a flat',
      locationKind: CaseLocationKind.Building,
      locationId: bulk.body.buildings[0].id,
    });
    expect(filed.status).toBe(201);
    const dueDate = new Date(Date.parse(filed.body.dueAt) + 8 * 3600_000).toISOString().slice(0, 10);
    expect(Boolean(filed.body.deadlineProvisional)).toBe(dueDate > calendar.through);
  });
});
