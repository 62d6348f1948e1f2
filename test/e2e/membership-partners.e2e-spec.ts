import { Availability, ErrorCode, Headers, PartnerDomain, PropertyEvents, Relation, newEvent } from '@cg/contracts';
import { NatsConnection } from '@cg/messaging';
import { eventually } from '@cg/testing';
import { JSONCodec, headers } from 'nats';
import { ADMIN, TestSystem, client } from './support/system';

describe('community partners through the gateway', () => {
  const system = new TestSystem();
  let admin: ReturnType<typeof client>;
  let token: string;
  let communityId: string;
  const people: Record<string, string> = {};
  const base = () => `/api/v1/communities/${communityId}`;

  const put = async (path: string, body: unknown, bearer = token) => {
    const response = await fetch(`${system.baseUrl}${path}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  beforeAll(async () => {
    await system.start();
    token = (await client(system.baseUrl).post('/api/v1/auth/login', ADMIN)).body.accessToken;
    admin = client(system.baseUrl, token);
    communityId = (
      await admin.post('/api/v1/communities', { code: `C${system.id}`, name: 'K', district: 'Xuhui', street: 'Kangjian' })
    ).body.id;
    const area = await admin.post(`${base()}/areas`, { code: 'A1', name: 'Area 1' });
    const grid = await admin.post(`${base()}/grids`, { areaId: area.body.id, code: 'G01', name: 'Grid 1' });
    const bulk = await admin.post(`${base()}/buildings/bulk`, {
      gridId: grid.body.id,
      buildings: [{ code: 'B001', floors: 1, unitsPerFloor: 3 }],
    });
    const units = (await admin.get(`${base()}/buildings/${bulk.body.buildings[0].id}/units`)).body.items;
    for (const [i, name] of ['Lawyer Lin', 'Engineer Guo', 'Gardener He'].entries()) {
      const res = await admin.post(`${base()}/residents`, {
        name,
        phone: `1360000${1000 + i}`,
        unitId: units[i].id,
        relation: Relation.Owner,
        account: { username: `${name.split(' ')[1].toLowerCase()}.${system.id}`.toLowerCase(), password: 'partner-password' },
      });
      expect(res.status).toBe(201);
      people[name] = res.body.id;
    }
  });

  afterAll(async () => {
    await system.stop();
  });

  it('finds partners by the domain they advise in', async () => {
    const profiles: [string, PartnerDomain[]][] = [
      ['Lawyer Lin', [PartnerDomain.LegalServices, PartnerDomain.FinancialManagement]],
      ['Engineer Guo', [PartnerDomain.PropertyEngineering]],
      ['Gardener He', [PartnerDomain.GreeningUpkeep, PartnerDomain.CommunityCulture]],
    ];
    for (const [name, domains] of profiles) {
      const res = await put(`${base()}/partners/${people[name]}`, {
        domains,
        qualifications: [`Certified in ${domains[0]}`],
        availability: [Availability.WeekendMorning],
        maxOpenConsultations: 2,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ personId: people[name], name, domains, maxOpenConsultations: 2 });
    }
    const legal = await admin.get(`${base()}/partners?domain=${PartnerDomain.LegalServices}`);
    expect(legal.status).toBe(200);
    expect(legal.body.items.map((p: { name: string }) => p.name)).toEqual(['Lawyer Lin']);
    const culture = await admin.get(`${base()}/partners?domain=${PartnerDomain.CommunityCulture}`);
    expect(culture.body.items.map((p: { name: string }) => p.name)).toEqual(['Gardener He']);
    const all = await admin.get(`${base()}/partners`);
    expect(all.body.items).toHaveLength(3);
    const unknown = await admin.get(`${base()}/partners?domain=astrology`);
    expect(unknown.status).toBe(400);
  });

  it("lets a partner edit their own profile but not another's", async () => {
    const login = await client(system.baseUrl).post('/api/v1/auth/login', {
      username: `guo.${system.id}`.toLowerCase(),
      password: 'partner-password',
    });
    const guo = login.body.accessToken;
    const own = await put(
      `${base()}/partners/${people['Engineer Guo']}`,
      {
        domains: [PartnerDomain.PropertyEngineering],
        qualifications: ['Senior structural engineer'],
        availability: [Availability.WeekdayEvening],
        maxOpenConsultations: 3,
      },
      guo,
    );
    expect(own.status).toBe(200);
    expect(own.body.maxOpenConsultations).toBe(3);
    const other = await put(
      `${base()}/partners/${people['Lawyer Lin']}`,
      { domains: [PartnerDomain.LegalServices], qualifications: [], availability: [], maxOpenConsultations: 1 },
      guo,
    );
    expect(other.status).toBe(403);
    expect(other.body.code).toBe(ErrorCode.FORBIDDEN);
  });

  it("keeps the partner's consultation history from property's events, each counted once", async () => {
    const nats = system.membership!.get(NatsConnection);
    const codec = JSONCodec();
    const completed = newEvent(
      PropertyEvents.consultationCompleted,
      {
        consultationId: 'consultation-1',
        partnerPersonId: people['Lawyer Lin'],
        domain: PartnerDomain.LegalServices,
        completedAt: '2025-05-10T08:00:00Z',
        adopted: true,
      },
      { communityId, actor: 'service:property', correlationId: `corr-${system.id}` },
    );
    const h = headers();
    h.set(Headers.correlationId, completed.correlationId);
    await nats.js.publish(completed.type, codec.encode(completed), { msgID: `${completed.id}-1`, headers: h });
    await nats.js.publish(completed.type, codec.encode(completed), { msgID: `${completed.id}-2`, headers: h });
    const history = await eventually(async () => {
      const res = await admin.get(`${base()}/partners/${people['Lawyer Lin']}/consultations`);
      return res.body.completed > 0 && res.body;
    });
    await eventually(async () => {
      const info = await nats.jsm.consumers.info('DOMAIN_EVENTS', 'membership-partner-consultations');
      return info.num_ack_pending === 0 && info.num_pending === 0;
    });
    const again = (await admin.get(`${base()}/partners/${people['Lawyer Lin']}/consultations`)).body;
    expect(again).toEqual(history);
    expect(again).toMatchObject({
      personId: people['Lawyer Lin'],
      completed: 1,
      adopted: 1,
      items: [{ consultationId: 'consultation-1', domain: PartnerDomain.LegalServices, adopted: true, sourceEventId: completed.id }],
    });
  });
});
