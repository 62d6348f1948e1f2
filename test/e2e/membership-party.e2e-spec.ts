import { ActivitiesEvents, ErrorCode, Headers, Relation, newEvent } from '@cg/contracts';
import { NatsConnection } from '@cg/messaging';
import { eventually } from '@cg/testing';
import { JSONCodec, headers } from 'nats';
import { ADMIN, TestSystem, client } from './support/system';

describe('party members: dual registration, service log and reports through the gateway', () => {
  const system = new TestSystem();
  let admin: ReturnType<typeof client>;
  let member: ReturnType<typeof client>;
  let token: string;
  let communityId: string;
  let buildings: { id: string }[];
  let gridId: string;
  const people: Record<string, string> = {};

  const put = async (path: string, body: unknown) => {
    const response = await fetch(`${system.baseUrl}${path}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const base = () => `/api/v1/communities/${communityId}`;

  beforeAll(async () => {
    await system.start();
    token = (await client(system.baseUrl).post('/api/v1/auth/login', ADMIN)).body.accessToken;
    admin = client(system.baseUrl, token);
    communityId = (
      await admin.post('/api/v1/communities', {
        code: `P${system.id}`,
        name: 'K',
        district: 'Xuhui',
        street: 'Kangjian',
      })
    ).body.id;
    const area = await admin.post(`${base()}/areas`, { code: 'A1', name: 'Area 1' });
    gridId = (await admin.post(`${base()}/grids`, { areaId: area.body.id, code: 'G01', name: 'Grid 1' })).body
      .id;
    const bulk = await admin.post(`${base()}/buildings/bulk`, {
      gridId,
      buildings: [
        { code: 'B001', floors: 1, unitsPerFloor: 2 },
        { code: 'B002', floors: 1, unitsPerFloor: 2 },
      ],
    });
    buildings = bulk.body.buildings;
    const unitOf = async (building: number) =>
      (await admin.get(`${base()}/buildings/${buildings[building].id}/units`)).body.items[0].id as string;
    const register = async (name: string, building: number, phone: string, account?: string) => {
      const res = await admin.post(`${base()}/residents`, {
        name,
        phone,
        unitId: await unitOf(building),
        relation: Relation.Owner,
        ...(account && { account: { username: account, password: 'member-password' } }),
      });
      expect(res.status).toBe(201);
      people[name] = res.body.id;
    };
    await register('Member Sun', 0, '13700000001', `sun.${system.id}`);
    await register('Retired Qian', 0, '13700000002');
    await register('Member Zhao', 1, '13700000003');
    const login = await client(system.baseUrl).post('/api/v1/auth/login', {
      username: `sun.${system.id}`,
      password: 'member-password',
    });
    member = client(system.baseUrl, login.body.accessToken);
  });

  afterAll(async () => {
    await system.stop();
  });

  it('records party members with their building party group', async () => {
    const sun = await put(`${base()}/party-members/${people['Member Sun']}`, {
      workplaceOrganisation: 'Party branch of Xuhui District Hospital',
      joinedOn: '2008-07-01',
      status: 'in_service',
    });
    expect(sun.status).toBe(200);
    expect(sun.body).toMatchObject({
      buildingPartyGroupId: buildings[0].id,
      gridId,
      registration: 'none',
      posts: [],
    });
    expect(
      (
        await put(`${base()}/party-members/${people['Retired Qian']}`, {
          workplaceOrganisation: 'Street committee',
          joinedOn: '1975-03-01',
          status: 'retired',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await put(`${base()}/party-members/${people['Member Zhao']}`, {
          workplaceOrganisation: 'Bank branch',
          joinedOn: '2015-06-30',
          status: 'in_service',
        })
      ).status,
    ).toBe(200);
    const bad = await put(`${base()}/party-members/${people['Member Zhao']}`, {
      workplaceOrganisation: 'x',
      joinedOn: '2015-13-01',
      status: 'in_service',
    });
    expect(bad.status).toBe(400);
  });

  it('lets only members in service request dual registration, once', async () => {
    const retired = await admin.post(`${base()}/party-members/${people['Retired Qian']}/dual-registration`);
    expect(retired.status).toBe(403);
    expect(retired.body.code).toBe(ErrorCode.NOT_ELIGIBLE);
    const early = await member.post(`${base()}/party-members/${people['Member Sun']}/posts`, {
      post: 'micro_wish',
    });
    expect(early.status).toBe(403);
    const requested = await member.post(`${base()}/party-members/${people['Member Sun']}/dual-registration`);
    expect(requested.status).toBe(201);
    expect(requested.body.registration).toBe('requested');
    const again = await member.post(`${base()}/party-members/${people['Member Sun']}/dual-registration`);
    expect(again.status).toBe(409);
    const notMine = await member.post(`${base()}/party-members/${people['Member Zhao']}/dual-registration`);
    expect(notMine.status).toBe(403);
  });

  it('approves a registration once when two staff decide at the same time', async () => {
    const path = `${base()}/party-members/${people['Member Sun']}/dual-registration/decision`;
    const results = await Promise.all([
      admin.post(path, { approve: true, note: 'Welcome' }),
      admin.post(path, { approve: false }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const winner = results.find((r) => r.status === 201)!;
    if (winner.body.registration !== 'approved') {
      // The rejection won the race: the member asks again and staff approve.
      await member.post(`${base()}/party-members/${people['Member Sun']}/dual-registration`);
      expect((await admin.post(path, { approve: true })).status).toBe(201);
    }
    const record = await member.get(`${base()}/party-members/${people['Member Sun']}`);
    expect(record.body.registration).toBe('approved');
    const posts = await member.post(`${base()}/party-members/${people['Member Sun']}/posts`, {
      post: 'micro_wish',
    });
    expect(posts.status).toBe(201);
    expect(posts.body.posts).toEqual(['micro_wish']);
  });

  it('logs micro-wishes once, volunteer hours and services by hand, and reports the quarter as JSON and CSV', async () => {
    const sun = people['Member Sun'];
    const wish = newEvent(
      ActivitiesEvents.microWishFulfilled,
      {
        wishId: 'wish-7',
        claimantKind: 'party_member',
        claimantPersonId: sun,
        fulfilledAt: new Date().toISOString(),
      },
      { communityId, actor: 'service:activities', correlationId: `e2e-${system.id}` },
    );
    const nats = system.membership!.get(NatsConnection);
    const codec = JSONCodec();
    for (const msgID of [`${wish.id}:1`, `${wish.id}:2`]) {
      const h = headers();
      h.set(Headers.correlationId, wish.correlationId);
      await nats.js.publish(wish.type, codec.encode(wish), { msgID, headers: h });
    }
    expect(
      (
        await admin.post(`${base()}/volunteer-hours`, {
          personId: sun,
          hours: '2.5',
          description: 'Lawn music festival stewarding',
        })
      ).status,
    ).toBe(201);
    const manual = await admin.post(`${base()}/party-members/${sun}/services`, {
      description: 'Building duty, stairwell',
      hours: '1',
      servedOn: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
      post: 'building_duty',
    });
    expect(manual.status).toBe(201);

    const report = await eventually(async () => {
      const r = await member.get(`${base()}/party-members/${sun}/service-report`);
      return r.body.serviceCount === 3 && r;
    });
    await eventually(async () => {
      const info = await nats.jsm.consumers.info('DOMAIN_EVENTS', 'membership-party-micro-wishes');
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });
    const settled = await member.get(`${base()}/party-members/${sun}/service-report`);
    expect(settled.body.serviceCount).toBe(3);
    expect(report.body.totalHours).toBe('3.50');
    expect(report.body.services.map((s: { kind: string }) => s.kind).sort()).toEqual([
      'manual',
      'micro_wish',
      'volunteer_hours',
    ]);
    expect(report.body.from.endsWith('-01')).toBe(true);

    const past = await member.get(
      `${base()}/party-members/${sun}/service-report?from=2020-01-01&to=2020-03-31`,
    );
    expect(past.body).toMatchObject({
      from: '2020-01-01',
      to: '2020-03-31',
      serviceCount: 0,
      totalHours: '0.00',
    });

    const csv = await member.get(`${base()}/party-members/${sun}/service-report?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = String(csv.body).split('\r\n');
    expect(lines[0]).toBe('member,Member Sun');
    expect(lines).toContain('total hours,3.50');
    expect(lines).toContain('date,kind,post,description,hours');
    expect(lines.some((l) => l.includes('"Building duty, stairwell"'))).toBe(true);
  });

  it('shows staff the registration coverage per building party group and grid, and no one else', async () => {
    const coverage = await admin.get(`${base()}/party-members/coverage`);
    expect(coverage.status).toBe(200);
    expect(coverage.body).toEqual({
      members: 3,
      registered: 1,
      buildingPartyGroups: expect.arrayContaining([
        { id: buildings[0].id, members: 2, registered: 1 },
        { id: buildings[1].id, members: 1, registered: 0 },
      ]),
      grids: [{ id: gridId, members: 3, registered: 1 }],
    });
    expect((await member.get(`${base()}/party-members/coverage`)).status).toBe(403);
    expect((await member.get(`${base()}/party-members/${people['Member Zhao']}/service-report`)).status).toBe(
      403,
    );
  });
});
