import { ErrorCode, Relation, Role } from '@cg/contracts';
import { ADMIN, TestSystem, client, importResidents } from './support/system';

type Http = ReturnType<typeof client>;

const LI = { phone: '13800001234', idNumber: '310104198001011239' };
const MASKED_LI = { phone: '138****1234', idNumber: '3101**********1239' };
const HEADER = 'building,unit,name,phone,id_number,relation,area,area_source,voter';

describe('personal data: phone and ID numbers masked everywhere, revealed one audited request at a time', () => {
  const system = new TestSystem();
  let admin: Http;
  let staff: Http;
  let worker: Http;
  let committee: Http;
  let staffId: string;
  let communityId: string;
  let units: { id: string; code: string }[];
  let liId: string;

  const base = (path = '') => `/api/v1/communities/${communityId}${path}`;
  const reveal = (
    as: Http,
    personId: string,
    body: unknown = { purpose: 'emergency_contact', reason: 'Water leaking into the unit below' },
  ) => as.post(base(`/residents/${personId}/reveal`), body);

  async function login(username: string, password: string): Promise<Http> {
    const res = await client(system.baseUrl).post('/api/v1/auth/login', { username, password });
    expect(res.status).toBe(200);
    return client(system.baseUrl, res.body.accessToken);
  }

  async function account(name: string, role: Role): Promise<{ http: Http; id: string }> {
    const username = `${name}.${system.id}`;
    const created = await admin.post('/api/v1/accounts', {
      username,
      password: 'personal-data-pw',
      name,
      roles: [role],
      communityIds: [communityId],
    });
    expect(created.status).toBe(201);
    return { http: await login(username, 'personal-data-pw'), id: created.body.id };
  }

  beforeAll(async () => {
    await system.start();
    admin = await login(ADMIN.username, ADMIN.password);
    communityId = (
      await admin.post('/api/v1/communities', {
        code: `PD${system.id}`,
        name: 'Personal data',
        district: 'D',
        street: 'S',
      })
    ).body.id;
    const area = await admin.post(base('/areas'), { code: 'A1', name: 'Area 1' });
    const grid = await admin.post(base('/grids'), { areaId: area.body.id, code: 'G01', name: 'Grid 1' });
    const bulk = await admin.post(base('/buildings/bulk'), {
      gridId: grid.body.id,
      buildings: [{ code: 'B001', floors: 2, unitsPerFloor: 2 }],
    });
    expect(bulk.status).toBe(201);
    units = (await admin.get(base(`/buildings/${bulk.body.buildings[0].id}/units?limit=10`))).body.items;
    const staffAccount = await account('staff', Role.CommunityStaff);
    staff = staffAccount.http;
    staffId = staffAccount.id;
    worker = (await account('worker', Role.GridWorker)).http;
    committee = (await account('committee', Role.OwnersCommitteeMember)).http;
    const registered = await staff.post(base('/residents'), {
      name: 'Li Ming',
      ...LI,
      unitId: units[0].id,
      relation: Relation.Owner,
    });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject(MASKED_LI);
    liId = registered.body.id;
  });

  afterAll(async () => {
    await system.stop();
  });

  it('masks the numbers on every read path for every reader, staff and district admins included', async () => {
    const moved = await staff.post(base(`/residents/${liId}/moves`), {
      unitId: units[1].id,
      relation: Relation.Owner,
    });
    expect(moved.status).toBe(201);
    expect(moved.body).toMatchObject(MASKED_LI);
    const ownership = await staff.put(base(`/units/${units[1].id}/ownership`), {
      ownerPersonIds: [liId],
      registerArea: '89.50',
    });
    expect(ownership.status).toBe(200);
    const imported = await importResidents(
      staff,
      communityId,
      [HEADER, 'B001,201,Wang Fang,13900005678,11010519491231002X,tenant,,,'].join('\n'),
    );
    expect(imported.body.status).toBe('completed');

    for (const reader of [staff, admin, worker]) {
      const reads = [
        await reader.get(base(`/residents/${liId}`)),
        await reader.get(base('/residents?limit=50')),
        await reader.get(base(`/residents?buildingId=${moved.body.buildingId}`)),
        await reader.get(base(`/units/${units[1].id}/household`)),
        await reader.get(base(`/residents/${liId}/residences`)),
        // Grid workers do not read the owner register.
        ...(reader === worker ? [] : [await reader.get(base('/owners'))]),
      ];
      for (const read of reads) {
        expect(read.status).toBe(200);
        const text = JSON.stringify(read.body);
        for (const full of [LI.phone, LI.idNumber, '13900005678', '11010519491231002X'])
          expect(text).not.toContain(full);
      }
      expect(reads[0].body).toMatchObject(MASKED_LI);
      expect(reads[1].body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ phone: '139****5678', idNumber: '1101**********002X' }),
        ]),
      );
      expect(reads[3].body.members[0]).toMatchObject(MASKED_LI);
    }
  });

  it('refuses an ID number with a wrong check digit or birth date with a field error, and stores nothing', async () => {
    for (const idNumber of ['310104198001011238', '310104198002301236', '31010419800101123']) {
      const res = await staff.post(base('/residents'), {
        name: 'Bad Id',
        phone: '13700000001',
        idNumber,
        unitId: units[2].id,
        relation: Relation.Tenant,
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: ErrorCode.VALIDATION_FAILED,
        errors: [expect.objectContaining({ field: 'idNumber' })],
      });
    }
    const list = await staff.get(base('/residents?namePrefix=Bad'));
    expect(list.body.items).toEqual([]);
  });

  it('refuses a second person with the same ID number in the community with 409 ID_NUMBER_TAKEN', async () => {
    const res = await staff.post(base('/residents'), {
      name: 'Li Twin',
      phone: '13700000002',
      idNumber: LI.idNumber,
      unitId: units[2].id,
      relation: Relation.Tenant,
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe(ErrorCode.ID_NUMBER_TAKEN);
    const lower = await staff.post(base('/residents'), {
      name: 'Wang Twin',
      phone: '13700000003',
      idNumber: '11010519491231002x',
      unitId: units[2].id,
      relation: Relation.Tenant,
    });
    expect(lower.status).toBe(409);
    expect(lower.body.code).toBe(ErrorCode.ID_NUMBER_TAKEN);
  });

  it('reveals the full numbers to community staff and district admins, audited before the answer', async () => {
    const byStaff = await reveal(staff, liId, {
      purpose: 'owner_register_check',
      reason: 'Checking the owner register against the deed',
    });
    expect(byStaff.status).toBe(201);
    expect(byStaff.body).toMatchObject({ personId: liId, ...LI, auditEntryId: expect.any(String) });
    const byAdmin = await reveal(admin, liId, {
      purpose: 'legal_notice',
      reason: 'Serving a court notice on the owner',
    });
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body).toMatchObject(LI);

    const log = await committee.get(
      base(`/audit-log?objectKind=resident&objectId=${liId}&action=membership.resident.numbers-revealed`),
    );
    expect(log.status).toBe(200);
    expect(log.body.items.map((e: { id: string }) => e.id)).toEqual([
      byAdmin.body.auditEntryId,
      byStaff.body.auditEntryId,
    ]);
    expect(log.body.items[1]).toMatchObject({
      actor: staffId,
      object: { kind: 'resident', id: liId },
      details: { purpose: 'owner_register_check', reason: 'Checking the owner register against the deed' },
    });
    expect(JSON.stringify(log.body)).not.toContain(LI.idNumber);
  });

  it("refuses a reveal to grid workers, owners' committee members and for a bad purpose or reason", async () => {
    expect((await reveal(worker, liId)).status).toBe(403);
    expect((await reveal(committee, liId)).status).toBe(403);
    const purpose = await reveal(staff, liId, {
      purpose: 'curiosity',
      reason: 'Just wanted to know the number',
    });
    expect(purpose.status).toBe(400);
    const reason = await reveal(staff, liId, { purpose: 'emergency_contact', reason: 'short' });
    expect(reason.status).toBe(400);
    expect(reason.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    expect((await reveal(staff, '65f000000000000000000000')).status).toBe(404);
  });

  it('limits an account to 30 reveals an hour: then 429 REVEAL_LIMIT_REACHED with Retry-After, and nothing revealed', async () => {
    const busy = await account('busy', Role.CommunityStaff);
    for (let i = 0; i < 30; i++) expect((await reveal(busy.http, liId)).status).toBe(201);

    const refused = await reveal(busy.http, liId);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe(ErrorCode.REVEAL_LIMIT_REACHED);
    expect(JSON.stringify(refused.body)).not.toContain(LI.phone);
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(3500);
    expect(wait).toBeLessThanOrEqual(3600);
    const entries = await admin.get(base(`/audit-log?actor=${busy.id}&limit=200`));
    expect(entries.body.items).toHaveLength(30);
    // Another account is not held back by it.
    expect((await reveal(staff, liId)).status).toBe(201);
  });
});
