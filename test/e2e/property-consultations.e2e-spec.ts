import { ErrorCode, Relation, Role } from '@cg/contracts';
import { ADMIN, TestSystem, client } from './support/system';

type Client = ReturnType<typeof client>;

describe('expert consultations checked against partner profiles, through the gateway', () => {
  const system = new TestSystem();
  let admin: Client;
  let committee: Client;
  let base: string;
  const people: Record<'lin' | 'guo' | 'shen' | 'wu', string> = {} as never;

  async function login(username: string, password: string): Promise<Client> {
    const session = await client(system.baseUrl).post('/api/v1/auth/login', { username, password });
    expect(session.status).toBe(200);
    return client(system.baseUrl, session.body.accessToken);
  }

  async function profile(personId: string, domains: string[], maxOpenConsultations: number): Promise<void> {
    const res = await admin.put(`${base}/partners/${personId}`, {
      domains,
      qualifications: ['Twenty years in practice'],
      availability: ['weekday_evening'],
      maxOpenConsultations,
    });
    expect(res.status).toBe(200);
  }

  const ask = (personId: string, domain: string, question = 'Is the quote for waterproofing the roof reasonable?') =>
    committee.post(`${base}/consultations`, {
      partnerPersonId: personId,
      domain,
      question,
      dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    });
  const waitingFor = async (personId: string) =>
    (await committee.get(`${base}/consultations?status=asked&limit=100`)).body.items.filter(
      (c: { partnerPersonId: string }) => c.partnerPersonId === personId,
    );

  beforeAll(async () => {
    await system.start();
    admin = await login(ADMIN.username, ADMIN.password);
    const communityId = (
      await admin.post('/api/v1/communities', { code: `C${system.id}`, name: 'Consulting Community', district: 'Xuhui District', street: 'Kangjian Street' })
    ).body.id;
    base = `/api/v1/communities/${communityId}`;
    const area = await admin.post(`${base}/areas`, { code: 'A1', name: 'Area 1' });
    const grid = await admin.post(`${base}/grids`, { areaId: area.body.id, code: 'G01', name: 'Grid 1' });
    const bulk = await admin.post(`${base}/buildings/bulk`, { gridId: grid.body.id, buildings: [{ code: 'B1', floors: 2, unitsPerFloor: 2 }] });
    const units = (await admin.get(`${base}/buildings/${bulk.body.buildings[0].id}/units?limit=10`)).body.items;
    const names = ['lin', 'guo', 'shen', 'wu'] as const;
    for (const [i, name] of names.entries()) {
      const res = await admin.post(`${base}/residents`, { name, phone: `1390000010${i}`, unitId: units[i].id, relation: Relation.Owner });
      expect(res.status).toBe(201);
      people[name] = res.body.id;
    }
    const username = `committee.${system.id}`;
    await admin.post('/api/v1/accounts', { username, password: 'staff-password-12', name: 'Zhou Min', roles: [Role.OwnersCommitteeMember], communityIds: [communityId] });
    committee = await login(username, 'staff-password-12');
    await profile(people.lin, ['legal_services'], 1);
    await profile(people.guo, ['property_engineering', 'greening_upkeep'], 2);
  });

  afterAll(async () => {
    await system.stop();
  });

  it('refuses a resident without a partner profile with 404, asking nothing', async () => {
    const res = await ask(people.shen, 'legal_services');
    expect([res.status, res.body.code]).toEqual([404, ErrorCode.PARTNER_NOT_FOUND]);
    expect(await waitingFor(people.shen)).toEqual([]);
  });

  it('refuses a domain the partner did not declare with 422, naming their domains', async () => {
    const res = await ask(people.lin, 'financial_management');
    expect([res.status, res.body.code]).toEqual([422, ErrorCode.PARTNER_DOMAIN_MISMATCH]);
    expect(await waitingFor(people.lin)).toEqual([]);
  });

  it('refuses a partner whose waiting consultations reach their stated capacity with 409', async () => {
    expect((await ask(people.lin, 'legal_services', 'May the committee sign alone?')).status).toBe(201);
    const full = await ask(people.lin, 'legal_services', 'And the parking contract?');
    expect([full.status, full.body.code]).toEqual([409, ErrorCode.ALREADY_TAKEN]);
    expect(await waitingFor(people.lin)).toHaveLength(1);
  });

  it('gives the last place to exactly one of two questions asked at the same moment', async () => {
    expect((await ask(people.guo, 'greening_upkeep', 'Which trees need pruning first?')).status).toBe(201);
    const both = await Promise.all([
      ask(people.guo, 'property_engineering', 'Is the lift overhaul quote fair?'),
      ask(people.guo, 'property_engineering', 'Does the roof need a new membrane?'),
    ]);
    expect(both.map((r) => (r.status === 201 ? '201' : `${r.status} ${r.body.code}`)).sort()).toEqual(['201', `409 ${ErrorCode.ALREADY_TAKEN}`]);
    expect(await waitingFor(people.guo)).toHaveLength(2);
  });

  it('frees a place when the committee withdraws a question, for the next one', async () => {
    const [open] = await waitingFor(people.lin);
    expect((await committee.post(`${base}/consultations/${open.id}/withdraw`)).status).toBe(200);
    expect((await ask(people.lin, 'legal_services', 'And the parking contract?')).status).toBe(201);
  });
});
