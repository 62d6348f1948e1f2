import {
  ActionItemStatus,
  AgendaItemSource,
  CaseCategory,
  CaseLocationKind,
  CaseUrgency,
  ErrorCode,
  JointBody,
  MeetingStatus,
  Principal,
  Role,
} from '@cg/contracts';
import { TokenService } from '@cg/auth';
import { ADMIN, TestSystem, client } from './support/system';

describe('meetings through the gateway', () => {
  const system = new TestSystem();
  let admin: ReturnType<typeof client>;
  let resident: ReturnType<typeof client>;
  let worker: ReturnType<typeof client>;
  let staff: ReturnType<typeof client>;
  let leader: ReturnType<typeof client>;
  let propertyManager: ReturnType<typeof client>;
  let outsider: ReturnType<typeof client>;
  let communityId: string;
  let gridId: string;
  let buildingIds: string[];
  const leaderPersonId = '65f0000000000000000000a1';
  // Cases are filed now, so the meeting reviews the current local month.
  const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

  const as = (principal: Principal) =>
    client(system.baseUrl, new TokenService(system.jwtSecret, 3600).issue(principal));
  const meetings = () => `/api/v1/communities/${communityId}/meetings`;
  const file = (category: CaseCategory, building: number) =>
    resident.post(`/api/v1/communities/${communityId}/cases`, {
      category,
      urgency: CaseUrgency.Normal,
      description: `Complaint about ${category} at the building`,
      locationKind: CaseLocationKind.Building,
      locationId: buildingIds[building],
    });

  beforeAll(async () => {
    await system.start();
    const login = await client(system.baseUrl).post('/api/v1/auth/login', ADMIN);
    admin = client(system.baseUrl, login.body.accessToken);
    communityId = (
      await admin.post('/api/v1/communities', {
        code: `KM${system.id}`,
        name: 'K',
        district: 'Xuhui District',
        street: 'Kangjian Street',
      })
    ).body.id;
    const other = await admin.post('/api/v1/communities', {
      code: `OM${system.id}`,
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
      buildings: [
        { code: 'B001', floors: 2, unitsPerFloor: 2 },
        { code: 'B002', floors: 2, unitsPerFloor: 2 },
      ],
    });
    buildingIds = bulk.body.buildings.map((b: { id: string }) => b.id);
    const member = (sub: string, name: string, roles: Role[], personId?: string): Principal => ({
      sub,
      name,
      roles,
      communityIds: [communityId],
      ...(personId && { personId }),
    });
    resident = as(member('acct-resident', 'Li Ming', [Role.Resident], '65f0000000000000000000a2'));
    worker = as(member('acct-worker', 'Zhao Lei', [Role.GridWorker]));
    staff = as(member('acct-staff', 'Chen Jing', [Role.CommunityStaff]));
    leader = as(member('acct-leader', 'Sun Li', [Role.BuildingLeader], leaderPersonId));
    propertyManager = as(member('acct-pm', 'He Ping', [Role.PropertyManager]));
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

  it('schedules, builds the agenda from filed cases, holds the meeting and tracks its action items', async () => {
    const filed = [];
    for (const [category, building] of [
      [CaseCategory.Noise, 0],
      [CaseCategory.Noise, 0],
      [CaseCategory.Noise, 1],
      [CaseCategory.GroupRental, 1],
      [CaseCategory.GroupRental, 1],
      [CaseCategory.Sanitation, 0],
    ] as const) {
      const result = await file(category, building);
      expect(result.status).toBe(201);
      filed.push(result.body.id as string);
    }

    const scheduled = await worker.post(`${meetings()}/grid`, {
      gridId,
      month,
      scheduledAt: new Date(Date.now() + 86_400_000).toISOString(),
      location: 'Party-mass service station',
      topCategories: 2,
    });
    expect(scheduled.status).toBe(201);
    expect(scheduled.body).toMatchObject({ status: MeetingStatus.Scheduled, gridId, month, version: 0 });
    const url = `${meetings()}/${scheduled.body.id}`;

    const duplicate = await staff.post(`${meetings()}/grid`, {
      gridId,
      month,
      scheduledAt: new Date().toISOString(),
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe(ErrorCode.DUPLICATE);

    expect(
      (await resident.post(`${url}/agenda-items`, { department: 'Housing', title: 'x', description: 'y' }))
        .status,
    ).toBe(403);
    const submitted = await staff.post(`${url}/agenda-items`, {
      department: 'Urban management',
      title: 'Shared bicycles on the fire lane',
      description: 'Agree who checks every morning',
    });
    expect(submitted.status).toBe(201);

    const read = await resident.get(url);
    expect(read.status).toBe(200);
    expect(read.body.agenda).toMatchObject({ frozen: false, totalCases: 6 });
    expect(read.body.agenda.topCategories).toEqual([
      { category: CaseCategory.Noise, count: 3, exampleCaseIds: [filed[2], filed[1], filed[0]] },
      { category: CaseCategory.GroupRental, count: 2, exampleCaseIds: [filed[4], filed[3]] },
    ]);
    expect(read.body.agenda.items.map((i: { source: string; title: string }) => [i.source, i.title])).toEqual(
      [
        [AgendaItemSource.Complaints, 'Noise: 3 cases this month'],
        [AgendaItemSource.Complaints, 'Group rentals: 2 cases this month'],
        [AgendaItemSource.Hotspot, 'Hotspot building B001: 3 cases this month'],
        [AgendaItemSource.Hotspot, 'Hotspot building B002: 3 cases this month'],
        [AgendaItemSource.Department, 'Shared bicycles on the fire lane'],
      ],
    );

    const early = await worker.post(`${url}/close`, { expectedVersion: read.body.version });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe(ErrorCode.INVALID_TRANSITION);

    const held = await worker.post(`${url}/hold`, {
      expectedVersion: read.body.version,
      attendees: [
        { name: 'Zhao Lei', position: 'grid_head' },
        { name: 'Sun Li', position: 'building_leader', personId: leaderPersonId },
        { name: 'Ma Jun', position: 'department_officer', department: 'Urban management' },
      ],
      minutes: 'Noise around B001 doubled; group rentals reported in B002.',
      decisions: [
        {
          text: 'Quiet-hours campaign in B001',
          actionItems: [
            {
              title: 'Post quiet-hours notices in every stairwell',
              ownerPersonId: leaderPersonId,
              ownerName: 'Sun Li',
              dueDate: '2999-01-31',
              caseIds: [filed[0], filed[1]],
            },
          ],
        },
        {
          text: 'Refer the group rentals to the housing office',
          actionItems: [
            {
              title: 'Send the referral',
              ownerPersonId: '65f0000000000000000000a3',
              ownerName: 'Zhao Lei',
              dueDate: '2000-01-31',
            },
          ],
        },
      ],
    });
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ status: MeetingStatus.Held, agenda: { frozen: true, totalCases: 6 } });
    expect(held.body.attendees.map((a: { position: string }) => a.position)).toEqual([
      'grid_head',
      'building_leader',
      'department_officer',
    ]);
    const [notices, referral] = held.body.actionItems;
    expect(notices).toMatchObject({
      status: ActionItemStatus.Open,
      caseIds: [filed[0], filed[1]],
      version: 0,
    });
    expect(referral.status).toBe(ActionItemStatus.Overdue);

    const heldAgain = await worker.post(`${url}/hold`, {
      expectedVersion: held.body.version,
      attendees: [{ name: 'Zhao Lei', position: 'grid_head' }],
      minutes: 'Twice',
      decisions: [],
    });
    expect(heldAgain.body.code).toBe(ErrorCode.INVALID_TRANSITION);

    const item = (id: string) => `${url}/action-items/${id}`;
    expect(
      (await resident.call('PATCH', item(notices.id), { expectedVersion: 0, status: 'done' })).status,
    ).toBe(403);
    const done = await leader.call('PATCH', item(notices.id), {
      expectedVersion: 0,
      status: 'done',
      progressNote: 'All stairwells covered',
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      status: ActionItemStatus.Done,
      version: 1,
      updatedBy: { name: 'Sun Li' },
    });
    const stale = await staff.call('PATCH', item(notices.id), { expectedVersion: 0, status: 'open' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe(ErrorCode.CONFLICT);
    const moved = await staff.call('PATCH', item(referral.id), { expectedVersion: 0, dueDate: '2999-03-31' });
    expect(moved.body).toMatchObject({ status: ActionItemStatus.Open, dueDate: '2999-03-31' });

    const last = await worker.get(`${meetings()}/last-action-items?gridId=${gridId}`);
    expect(last.status).toBe(200);
    expect(last.body.meeting).toMatchObject({ id: scheduled.body.id, month, status: MeetingStatus.Held });
    expect(last.body.actionItems.map((i: { title: string; status: string }) => [i.title, i.status])).toEqual([
      ['Post quiet-hours notices in every stairwell', ActionItemStatus.Done],
      ['Send the referral', ActionItemStatus.Open],
    ]);

    // The action item updates moved the meeting's version on: closing at the version seen when held is stale.
    const closed = await staff.post(`${url}/close`, { expectedVersion: held.body.version });
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe(ErrorCode.CONFLICT);
    const current = (await staff.get(url)).body;
    const closing = await staff.post(`${url}/close`, { expectedVersion: current.version });
    expect(closing.status).toBe(200);
    expect(closing.body.status).toBe(MeetingStatus.Closed);

    const list = await resident.get(`${meetings()}?gridId=${gridId}&status=closed`);
    expect(list.body.items.map((m: { id: string }) => m.id)).toEqual([scheduled.body.id]);
  });

  it('runs a joint meeting with items from each body', async () => {
    const joint = await staff.post(`${meetings()}/joint`, {
      title: 'Parking at the east gate',
      scheduledAt: '2030-03-12T19:00:00+08:00',
    });
    expect(joint.status).toBe(201);
    const url = `${meetings()}/${joint.body.id}`;
    expect(
      (
        await propertyManager.post(`${url}/agenda-items`, {
          body: JointBody.PropertyCompany,
          title: 'Barrier replacement quote',
          description: 'Two suppliers quoted',
        })
      ).status,
    ).toBe(201);
    const forbidden = await propertyManager.post(`${url}/agenda-items`, {
      body: JointBody.OwnersCommittee,
      title: 'Not ours',
      description: 'Speaking for another body',
    });
    expect(forbidden.status).toBe(403);
    const withItems = await staff.post(`${url}/agenda-items`, {
      body: JointBody.ResidentsCommittee,
      title: 'Complaints about the barrier noise',
      description: 'Seven complaints this month',
    });
    expect(withItems.body.agenda.items.map((i: { body: string }) => i.body)).toEqual([
      JointBody.ResidentsCommittee,
      JointBody.PropertyCompany,
    ]);
    expect(withItems.body.agenda.topCategories).toEqual([]);
  });

  it("keeps staff of another community and residents out of a community's meetings management", async () => {
    expect((await outsider.get(meetings())).status).toBe(403);
    expect(
      (await resident.post(`${meetings()}/joint`, { title: 'x', scheduledAt: '2030-01-01T10:00:00+08:00' }))
        .status,
    ).toBe(403);
    expect((await worker.get(`${meetings()}/not-an-id`)).status).toBe(400);
  });
});
