import { BodyKind, ErrorCode, PositionKind, Relation, Role } from '@cg/contracts';
import { eventually } from '@cg/testing';
import { ADMIN, TestSystem, client } from './support/system';

type Http = ReturnType<typeof client>;

interface Entry {
  id: string;
  at: string;
  actor: string;
  action: string;
  object: { kind: string; id: string };
  summary: string;
}

describe('audit log: who changed owners, residents and accounts, and who revealed personal numbers', () => {
  const system = new TestSystem();
  let admin: Http;
  let adminId: string;
  let staff: Http;
  let staffId: string;
  let committee: Http;
  let worker: Http;
  let outsider: Http;
  let communityId: string;
  let units: { id: string }[];
  let liId: string;

  const base = (path = '') => `/api/v1/communities/${communityId}${path}`;
  const log = async (as: Http, query = ''): Promise<Entry[]> => {
    const res = await as.get(base(`/audit-log${query}`));
    expect(res.status).toBe(200);
    return res.body.items;
  };

  async function login(username: string, password: string) {
    const res = await client(system.baseUrl).post('/api/v1/auth/login', { username, password });
    expect(res.status).toBe(200);
    return { http: client(system.baseUrl, res.body.accessToken), id: res.body.principal.sub as string };
  }

  async function account(
    name: string,
    role: Role,
    communityIds = [communityId],
  ): Promise<{ http: Http; id: string }> {
    const username = `${name}.${system.id}`;
    const created = await admin.post('/api/v1/accounts', {
      username,
      password: 'audit-log-password',
      name,
      roles: [role],
      communityIds,
    });
    expect(created.status).toBe(201);
    return login(username, 'audit-log-password');
  }

  beforeAll(async () => {
    await system.start();
    ({ http: admin, id: adminId } = await login(ADMIN.username, ADMIN.password));
    communityId = (
      await admin.post('/api/v1/communities', {
        code: `AL${system.id}`,
        name: 'Audit',
        district: 'D',
        street: 'S',
      })
    ).body.id;
    const otherId = (
      await admin.post('/api/v1/communities', {
        code: `AO${system.id}`,
        name: 'Other',
        district: 'D',
        street: 'S',
      })
    ).body.id;
    const area = await admin.post(base('/areas'), { code: 'A1', name: 'Area 1' });
    const grid = await admin.post(base('/grids'), { areaId: area.body.id, code: 'G01', name: 'Grid 1' });
    const bulk = await admin.post(base('/buildings/bulk'), {
      gridId: grid.body.id,
      buildings: [{ code: 'B001', floors: 1, unitsPerFloor: 2 }],
    });
    units = (await admin.get(base(`/buildings/${bulk.body.buildings[0].id}/units?limit=10`))).body.items;
    ({ http: staff, id: staffId } = await account('staff', Role.CommunityStaff));
    committee = (await account('committee', Role.OwnersCommitteeMember)).http;
    worker = (await account('worker', Role.GridWorker)).http;
    outsider = (await account('outsider', Role.CommunityStaff, [otherId])).http;

    liId = (
      await staff.post(base('/residents'), {
        name: 'Li Ming',
        phone: '13800001234',
        idNumber: '310104198001011239',
        unitId: units[0].id,
        relation: Relation.Owner,
      })
    ).body.id;
    expect((await staff.post(base(`/residents/${liId}/moves`), { unitId: units[1].id })).status).toBe(201);
    expect(
      (
        await staff.put(base(`/units/${units[1].id}/ownership`), {
          ownerPersonIds: [liId],
          registerArea: '89.50',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await staff.post(base(`/residents/${liId}/reveal`), {
          purpose: 'dispute_resolution',
          reason: 'Parking dispute with the neighbour',
        })
      ).status,
    ).toBe(201);
    await eventually(async () => (await log(admin)).length >= 7);
  });

  afterAll(async () => {
    await system.stop();
  });

  it('shows the history of one resident, newest first: registered, moved, numbers revealed', async () => {
    const entries = await log(committee, `?objectKind=resident&objectId=${liId}`);
    expect(entries.map((e) => e.action)).toEqual([
      'membership.resident.numbers-revealed',
      'evt.membership.resident.moved',
      'evt.membership.resident.registered',
    ]);
    expect(entries.every((e) => e.actor === staffId && e.object.id === liId)).toBe(true);
    expect(entries[2].summary).toBe(`Li Ming registered into unit ${units[0].id} as owner`);
    expect(entries[1].summary).toBe(`Li Ming moved to unit ${units[1].id}`);
    expect(JSON.stringify(entries)).not.toMatch(/13800001234|310104198001011239/);
  });

  it('shows the owner register change of a unit and the accounts created for the community', async () => {
    const unit = await log(staff, `?objectKind=unit&objectId=${units[1].id}`);
    expect(unit).toEqual([
      expect.objectContaining({
        action: 'evt.membership.ownership.recorded',
        actor: staffId,
        summary: 'Ownership recorded: 89.50 m², 1 owner(s), revision 1',
      }),
    ]);
    const accounts = await log(admin, '?objectKind=account');
    expect(accounts.map((e) => e.summary)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Account worker\.\S+ \(worker\) created with roles grid_worker$/),
      ]),
    );
    expect(accounts).toHaveLength(3);
    expect(accounts.every((e) => e.actor === adminId && e.action === 'evt.membership.account.created')).toBe(
      true,
    );
  });

  it("records appointments to positions and the end of terms in the person's history", async () => {
    const wangId = (
      await staff.post(base('/residents'), {
        name: 'Wang Fang',
        phone: '13900005678',
        unitId: units[0].id,
        relation: Relation.Tenant,
      })
    ).body.id;
    const body = await admin.post(base('/bodies'), {
      kind: BodyKind.PartyCommittee,
      name: 'Party committee',
    });
    expect(body.status).toBe(201);
    const term = await admin.post(base(`/bodies/${body.body.id}/terms`), {
      personId: wangId,
      position: PositionKind.SecondSecretary,
      from: '2024-01-01',
    });
    expect(term.status).toBe(201);
    const ended = await admin.post(base(`/bodies/${body.body.id}/terms/${term.body.id}/end`), {
      to: '2024-06-30',
    });
    expect(ended.status).toBe(200);
    await eventually(async () => (await log(admin, `?objectKind=resident&objectId=${wangId}`)).length === 3);
    const entries = await log(staff, `?objectKind=resident&objectId=${wangId}`);
    expect(entries.map((e) => [e.action, e.actor])).toEqual([
      ['evt.membership.position.term-ended', adminId],
      ['evt.membership.position.appointed', adminId],
      ['evt.membership.resident.registered', staffId],
    ]);
    expect(entries[1].summary).toBe(
      'Wang Fang appointed second_secretary of Party committee from 2024-01-01',
    );
  });

  it('finds what one account did, and narrows by action and time', async () => {
    const byStaff = await log(admin, `?actor=${staffId}`);
    // Li's registration, move, owner register and reveal, and Wang's registration.
    expect(byStaff).toHaveLength(5);
    const byAdmin = await log(admin, `?actor=${adminId}&action=evt.membership.account.created`);
    expect(byAdmin).toHaveLength(3);
    const latest = byStaff[0].at;
    expect(await log(admin, `?actor=${staffId}&from=${encodeURIComponent(latest)}`)).toHaveLength(1);
    expect(await log(admin, `?actor=${staffId}&to=${encodeURIComponent(latest)}`)).toHaveLength(4);
  });

  it('pages newest first with a cursor, each entry once', async () => {
    const all = await log(admin, '?limit=200');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await admin.get(
        base(`/audit-log?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((e: Entry) => e.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((e) => e.id));
    const times = all.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('exports the filtered log as CSV', async () => {
    const res = await staff.get(base(`/audit-log/export?format=csv&objectKind=resident&objectId=${liId}`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = String(res.body)
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe('At,Actor,Action,Object kind,Object id,Summary,Entry id');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain('membership.resident.numbers-revealed');
    expect(lines[3]).toContain('evt.membership.resident.registered');
    const zh = await staff.get(base('/audit-log/export'), { 'accept-language': 'zh-CN' });
    expect(
      String(zh.body)
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/)[0],
    ).toBe('时间,操作账号,操作,对象类型,对象,摘要,记录编号');
  });

  it("refuses grid workers and other communities' staff, and bad filters", async () => {
    expect((await worker.get(base('/audit-log'))).status).toBe(403);
    expect((await worker.get(base('/audit-log/export'))).status).toBe(403);
    expect((await outsider.get(base('/audit-log'))).status).toBe(403);
    const bad = await admin.get(base(`/audit-log?objectId=${liId}`));
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect((await admin.get(base('/audit-log?cursor=nonsense'))).status).toBe(400);
    expect((await admin.get(base('/audit-log?from=yesterday'))).status).toBe(400);
    expect((await admin.get(base('/audit-log/export?format=xlsx'))).status).toBe(400);
  });

  it('has no way to change or remove an entry', async () => {
    const [entry] = await log(admin);
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const res = await admin.call(
        method,
        base(`/audit-log/${entry.id}`),
        method === 'DELETE' ? undefined : {},
      );
      expect([404, 405]).toContain(res.status);
    }
  });
});
