import {
  CaseCategory,
  CaseLocationKind,
  CaseRouting,
  CaseUrgency,
  CommunitySettingsView,
  ErrorCode,
  EventEnvelope,
  GridSettingsEvents,
  Principal,
  Role,
} from '@cg/contracts';
import { TokenService } from '@cg/auth';
import { DurableConsumers } from '@cg/messaging';
import { eventually } from '@cg/testing';
import { NATIONAL_YEARS, composeCalendar } from '../../apps/grid/src/calendars/calendar-rules';
import { deadlineAfter } from '../../apps/grid/src/cases/sla-clock';
import { ADMIN, TestSystem, client } from './support/system';

const BULKY_WASTE = {
  code: 'bulky_waste',
  names: { zh: '大件垃圾', en: 'Bulky waste' },
  slaWorkingDays: 7,
  routing: CaseRouting.Grid,
  active: true,
};

describe('settings per community through the gateway', () => {
  const system = new TestSystem();
  const changed: EventEnvelope[] = [];
  let staff: ReturnType<typeof client>;
  let worker: ReturnType<typeof client>;
  let resident: ReturnType<typeof client>;
  let outsider: ReturnType<typeof client>;
  let communityId: string;
  let gridId: string;
  let unitId: string;

  const as = (principal: Principal) =>
    client(system.baseUrl, new TokenService(system.jwtSecret, 3600).issue(principal));
  const settings = () => `/api/v1/communities/${communityId}/settings`;
  const cases = () => `/api/v1/communities/${communityId}/cases`;
  const file = (category: string) =>
    resident.post(cases(), {
      category,
      urgency: CaseUrgency.Normal,
      description: 'An old sofa left in the stairwell for a week',
      locationKind: CaseLocationKind.Unit,
      locationId: unitId,
    });
  const editable = (view: CommunitySettingsView) => ({
    expectedRevision: view.revision,
    categories: view.categories,
    evaluationWeights: view.evaluationWeights,
    agendaLabels: view.agendaLabels,
  });

  beforeAll(async () => {
    await system.start();
    await system.grid!.get(DurableConsumers).start({
      durable: `settings-e2e-${system.id}`,
      event: GridSettingsEvents.changed,
      handle: async (event) => void changed.push(event),
    });
    const login = await client(system.baseUrl).post('/api/v1/auth/login', ADMIN);
    const admin = client(system.baseUrl, login.body.accessToken);
    const community = await admin.post('/api/v1/communities', {
      code: `ST${system.id}`,
      name: 'Settings community',
      district: 'Xuhui District',
      street: 'Kangjian Street',
    });
    communityId = community.body.id;
    const other = await admin.post('/api/v1/communities', {
      code: `SO${system.id}`,
      name: 'Other community',
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
      buildings: [{ code: 'B001', floors: 1, unitsPerFloor: 2 }],
    });
    const buildingId = bulk.body.buildings[0].id;
    unitId = (await admin.get(`/api/v1/communities/${communityId}/buildings/${buildingId}/units`)).body
      .items[0].id;
    staff = as({
      sub: 'acct-staff',
      name: 'Chen Jing',
      roles: [Role.CommunityStaff],
      communityIds: [communityId],
    });
    worker = as({
      sub: 'acct-worker',
      name: 'Zhao Lei',
      roles: [Role.GridWorker],
      communityIds: [communityId],
    });
    resident = as({
      sub: 'acct-resident',
      personId: '65f000000000000000000001',
      name: 'Li Ming',
      roles: [Role.Resident],
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

  it('answers the defaults at revision 0 to staff and grid workers, and 403 to another community', async () => {
    const read = await worker.get(settings());
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      communityId,
      revision: 0,
      evaluationWeights: { satisfaction: 50, timeliness: 30, ratings: 20 },
    });
    expect(read.body.categories.map((c: { code: string }) => c.code)).toEqual(Object.values(CaseCategory));
    expect((await outsider.get(settings())).status).toBe(403);
    expect((await outsider.get(`${settings()}/history`)).status).toBe(403);
    expect((await resident.get(settings())).status).toBe(403);
  });

  it('refuses a change from a grid worker with 403', async () => {
    const current = (await staff.get(settings())).body;
    const res = await worker.put(settings(), editable(current));
    expect(res.status).toBe(403);
    expect((await staff.get(settings())).body.revision).toBe(0);
  });

  it('refuses invalid settings with field errors and changes nothing', async () => {
    const current = (await staff.get(settings())).body;
    const res = await staff.put(settings(), {
      ...editable(current),
      categories: [...current.categories, { ...BULKY_WASTE, code: CaseCategory.Noise }],
      evaluationWeights: { satisfaction: 60, timeliness: 30, ratings: 20 },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'categories[9].code', reason: 'noise appears twice' },
        { field: 'evaluationWeights', reason: 'the weights sum to 110, not 100' },
      ]),
    );
    const badCode = await staff.put(settings(), {
      ...editable(current),
      categories: [{ ...BULKY_WASTE, code: 'Bulky Waste' }],
    });
    expect(badCode.status).toBe(400);
    expect((await staff.get(settings())).body.revision).toBe(0);
  });

  it('takes a custom category for filing with its own deadline, and 400 for an unknown one', async () => {
    const current = (await staff.get(settings())).body;
    const put = await staff.put(settings(), {
      ...editable(current),
      categories: [...current.categories, BULKY_WASTE],
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ revision: 1, updatedBy: { sub: 'acct-staff', name: 'Chen Jing' } });

    const filed = await file('bulky_waste');
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ category: 'bulky_waste', gridId });
    const calendar = composeCalendar(NATIONAL_YEARS);
    const due = deadlineAfter(new Date(filed.body.reportedAt), { workingDays: 7 }, calendar);
    expect(filed.body.dueAt).toBe(due.toISOString());

    const before = (await staff.get(cases())).body.items.length;
    const unknown = await file('street_lights');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      code: ErrorCode.VALIDATION_FAILED,
      errors: [{ field: 'category', reason: 'not a category of this community' }],
    });
    expect((await staff.get(cases())).body.items.length).toBe(before);

    const event = await eventually(async () =>
      changed.find((e) => e.communityId === communityId && (e.data as { revision: number }).revision === 1),
    );
    expect(event).toMatchObject({ type: 'evt.grid.settings.changed', actor: 'acct-staff' });
    expect((event!.data as { changes: { field: string }[] }).changes).toEqual([
      { field: 'categories.bulky_waste', to: JSON.stringify(BULKY_WASTE) },
    ]);
  });

  it('keeps a category with cases: it can be deactivated, not removed, and then takes no new cases', async () => {
    const current = (await staff.get(settings())).body as CommunitySettingsView;
    const removed = await staff.put(settings(), {
      ...editable(current),
      categories: current.categories.filter((c) => c.code !== 'bulky_waste'),
    });
    expect(removed.status).toBe(400);
    expect(removed.body.errors).toEqual([
      {
        field: 'categories',
        reason: 'bulky_waste has cases filed under it: deactivate it instead of removing it',
      },
    ]);
    const deactivated = await staff.put(settings(), {
      ...editable(current),
      categories: current.categories.map((c) => (c.code === 'bulky_waste' ? { ...c, active: false } : c)),
    });
    expect(deactivated.status).toBe(200);
    const refused = await file('bulky_waste');
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: 'category', reason: 'the category is no longer active' }]);
    // Old clients keep filing under the nine default codes.
    expect((await file(CaseCategory.Noise)).status).toBe(201);
  });

  it('refuses a stale revision with 409, and of two changes on one revision exactly one lands', async () => {
    const current = (await staff.get(settings())).body as CommunitySettingsView;
    const stale = await staff.put(settings(), {
      ...editable(current),
      expectedRevision: current.revision - 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: ErrorCode.CONFLICT });
    expect(stale.body.detail).toContain(`revision ${current.revision}`);

    const weights = [
      { satisfaction: 40, timeliness: 40, ratings: 20 },
      { satisfaction: 34, timeliness: 33, ratings: 33 },
    ];
    const raced = await Promise.all(
      weights.map((evaluationWeights) => staff.put(settings(), { ...editable(current), evaluationWeights })),
    );
    expect(raced.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = raced.find((r) => r.status === 200)!.body;
    const after = (await staff.get(settings())).body;
    expect(after).toMatchObject({
      revision: current.revision + 1,
      evaluationWeights: winner.evaluationWeights,
    });
  });

  it('lists every accepted change, latest first, a page at a time: who, when and what changed', async () => {
    const first = await worker.get(`${settings()}/history?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((e: { revision: number }) => e.revision)).toEqual([3, 2]);
    expect(first.body.items[0]).toMatchObject({ by: { sub: 'acct-staff', name: 'Chen Jing' } });
    expect(first.body.items[0].changes.map((c: { field: string }) => c.field)).toEqual(
      expect.arrayContaining(['evaluationWeights.satisfaction']),
    );
    expect(first.body.items[1].changes).toEqual([
      { field: 'categories.bulky_waste.active', from: 'true', to: 'false' },
    ]);
    const second = await worker.get(`${settings()}/history?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((e: { revision: number }) => e.revision)).toEqual([1]);
    expect(second.body.nextCursor).toBeUndefined();
    expect(Number.isNaN(Date.parse(second.body.items[0].at))).toBe(false);
  });

  it("words the grid meeting's agenda from the settings in the reader's language", async () => {
    const current = (await staff.get(settings())).body as CommunitySettingsView;
    const put = await staff.put(settings(), {
      ...editable(current),
      agendaLabels: {
        ...current.agendaLabels,
        complaints: { zh: '{category}问题：本月{cases}', en: '{category} complaints: {cases} this month' },
      },
    });
    expect(put.status).toBe(200);
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const meeting = await staff.post(`/api/v1/communities/${communityId}/meetings/grid`, {
      gridId,
      month,
      scheduledAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(meeting.status).toBe(201);
    const url = `/api/v1/communities/${communityId}/meetings/${meeting.body.id}`;
    const titles = async (language?: string) =>
      (await staff.get(url, language ? { 'accept-language': language } : {})).body.agenda.items.map(
        (i: { title: string }) => i.title,
      );
    // Equal counts rank in the settings' category order, the added category last.
    expect(await titles('zh-CN,zh;q=0.9,en;q=0.5')).toEqual([
      '噪声扰民问题：本月1件',
      '大件垃圾问题：本月1件',
      '热点楼栋B001：本月2件',
    ]);
    expect(await titles()).toEqual([
      'Noise complaints: 1 case this month',
      'Bulky waste complaints: 1 case this month',
      'Hotspot building B001: 2 cases this month',
    ]);
  });
});
