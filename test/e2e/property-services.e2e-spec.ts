import { ErrorCode, EventEnvelope, PropertyEvents, Relation, Role } from '@cg/contracts';
import { DurableConsumers } from '@cg/messaging';
import { eventually } from '@cg/testing';
import { ADMIN, TestSystem, client } from './support/system';

type Client = ReturnType<typeof client>;

describe('the property company, service requests and expert consultations through the gateway', () => {
  const system = new TestSystem();
  let admin: Client;
  let communityId: string;
  let base: string;
  const residents: Record<string, { personId: string; http: Client }> = {};
  const staffAccounts: Record<string, Client> = {};
  const completed: EventEnvelope[] = [];
  const units: { id: string }[] = [];

  async function login(username: string, password: string): Promise<Client> {
    const session = await client(system.baseUrl).post('/api/v1/auth/login', { username, password });
    expect(session.status).toBe(200);
    return client(system.baseUrl, session.body.accessToken);
  }

  async function resident(key: string, unit: { id: string }, phone: string): Promise<void> {
    const username = `${key}.${system.id}`;
    const res = await admin.post(`${base}/residents`, {
      name: key,
      phone,
      unitId: unit.id,
      relation: Relation.Owner,
      account: { username, password: 'resident-password-1' },
    });
    expect(res.status).toBe(201);
    residents[key] = { personId: res.body.id, http: await login(username, 'resident-password-1') };
  }

  async function account(key: string, roles: Role[]): Promise<void> {
    const username = `${key}.${system.id}`;
    const res = await admin.post('/api/v1/accounts', { username, password: 'staff-password-12', name: key, roles, communityIds: [communityId] });
    expect(res.status).toBe(201);
    staffAccounts[key] = await login(username, 'staff-password-12');
  }

  beforeAll(async () => {
    await system.start();
    admin = await login(ADMIN.username, ADMIN.password);
    communityId = (await admin.post('/api/v1/communities', { code: `S${system.id}`, name: 'Service Community', district: 'Xuhui District', street: 'Kangjian Street' })).body.id;
    base = `/api/v1/communities/${communityId}`;
    const area = await admin.post(`${base}/areas`, { code: 'A1', name: 'Area 1' });
    const grid = await admin.post(`${base}/grids`, { areaId: area.body.id, code: 'G01', name: 'Grid 1' });
    const bulk = await admin.post(`${base}/buildings/bulk`, { gridId: grid.body.id, buildings: [{ code: 'B1', floors: 2, unitsPerFloor: 2 }] });
    units.push(...(await admin.get(`${base}/buildings/${bulk.body.buildings[0].id}/units?limit=10`)).body.items);
    await resident('ming', units[0], '13900000001');
    await resident('hua', units[1], '13900000002');
    await resident('lawyer', units[2], '13900000003');
    await account('manager', [Role.PropertyManager]);
    await account('committee', [Role.OwnersCommitteeMember]);
    await system.property!.get(DurableConsumers).start({
      durable: `property-e2e-${system.id}-consultations`,
      event: PropertyEvents.consultationCompleted,
      handle: async (event) => void completed.push(event),
    });
  });

  afterAll(async () => {
    await system.stop();
  });

  describe('the company serving the community', () => {
    it('registers a company with its party branch, records its contract and lists its programmes', async () => {
      const company = await admin.post('/api/v1/property-companies', {
        name: 'Green Harbour Property Services',
        creditCode: `91310104MA1FL2${system.id.slice(0, 4).toUpperCase().replace(/[^0-9A-H]/g, '3')}`,
        partyBranch: { name: 'Party branch of Green Harbour', secretary: 'Li Wei', members: 12 },
      });
      expect(company.status).toBe(201);
      const year = new Date().getUTCFullYear();
      const contract = await admin.post(`${base}/property-contracts`, { companyId: company.body.id, startsOn: `${year - 1}-01-01`, endsOn: `${year + 1}-12-31` });
      expect(contract.status).toBe(201);
      const overlap = await admin.post(`${base}/property-contracts`, { companyId: company.body.id, startsOn: `${year + 1}-06-01`, endsOn: `${year + 2}-05-31` });
      expect([overlap.status, overlap.body.code]).toEqual([409, ErrorCode.CONFLICT]);
      const programme = await staffAccounts.manager.post(`${base}/service-programmes`, { name: 'Visits to elderly residents living alone', kind: 'elderly_care_visits' });
      expect(programme.status).toBe(201);

      const current = await residents.ming.http.get(`${base}/property-service`);
      expect(current.status).toBe(200);
      expect(current.body.company).toMatchObject({ name: 'Green Harbour Property Services', partyBranch: { secretary: 'Li Wei', members: 12 } });
      expect(current.body.programmes.map((p: { kind: string }) => p.kind)).toEqual(['elderly_care_visits']);
    });
  });

  describe('a repair request from a resident', () => {
    let path: string;

    it('is opened by the resident with deadlines', async () => {
      const opened = await eventually(async () => {
        const res = await residents.ming.http.post(`${base}/service-requests`, { category: 'repair', description: 'The bathroom drain is blocked' });
        return res.status === 201 && res;
      });
      expect(opened.body).toMatchObject({ status: 'open', origin: 'resident', requesterPersonId: residents.ming.personId, version: 1, overdue: false });
      path = `${base}/service-requests/${opened.body.id}`;
    });

    it('refuses an illegal step, a step by the resident, and a stale version', async () => {
      const resolve = await staffAccounts.manager.post(`${path}/steps`, { action: 'resolve' });
      expect([resolve.status, resolve.body.code]).toEqual([409, ErrorCode.INVALID_TRANSITION]);
      const accept = await residents.ming.http.post(`${path}/steps`, { action: 'accept' });
      expect([accept.status, accept.body.code]).toEqual([403, ErrorCode.FORBIDDEN]);
      const stale = await staffAccounts.manager.post(`${path}/steps`, { action: 'accept', version: 3 });
      expect([stale.status, stale.body.code]).toEqual([409, ErrorCode.CONFLICT]);
    });

    it('lets exactly one of two steps sent at once from the same version through', async () => {
      const results = await Promise.all([
        staffAccounts.manager.post(`${path}/steps`, { action: 'accept', handler: 'Zhang, plumber', version: 1 }),
        staffAccounts.manager.post(`${path}/steps`, { action: 'accept', handler: 'Liu, plumber', version: 1 }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(results.find((r) => r.status === 409)!.body.code).toBe(ErrorCode.CONFLICT);
    });

    it('is worked to resolution, then rated and closed by the resident', async () => {
      expect((await staffAccounts.manager.post(`${path}/steps`, { action: 'start' })).status).toBe(200);
      const resolved = await staffAccounts.manager.post(`${path}/steps`, { action: 'resolve', note: 'Cleared the drain' });
      expect(resolved.body).toMatchObject({ status: 'resolved', resolvedOnTime: true });
      const byNeighbour = await residents.hua.http.post(`${path}/rating`, { score: 1 });
      expect(byNeighbour.status).toBe(403);
      const rated = await residents.ming.http.post(`${path}/rating`, { score: 5, comment: 'Fast and clean' });
      expect(rated.status).toBe(200);
      expect(rated.body).toMatchObject({ status: 'closed', rating: { score: 5, comment: 'Fast and clean' } });
      expect(rated.body.history.map((h: { action: string }) => h.action)).toEqual(['open', 'accept', 'start', 'resolve', 'close']);
      const again = await residents.ming.http.post(`${path}/rating`, { score: 1 });
      expect([again.status, again.body.code]).toEqual([409, ErrorCode.INVALID_TRANSITION]);
    });

    it("shows a neighbour neither the request nor it in their list, and feeds the company's evaluation", async () => {
      expect((await residents.hua.http.get(path)).status).toBe(403);
      expect((await residents.hua.http.get(`${base}/service-requests`)).body.items).toEqual([]);
      const service = await residents.ming.http.get(`${base}/property-service`);
      const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
      const evaluation = await staffAccounts.committee.get(`${base}/property-companies/${service.body.company.id}/evaluations/${month}`);
      expect(evaluation.status).toBe(200);
      expect(evaluation.body).toMatchObject({ requestsResolved: 1, requestsResolvedOnTime: 1, ratings: 1, score: '100.00', grade: 'A' });
    });

    it("weighs the evaluation as the community's settings say", async () => {
      const service = await residents.ming.http.get(`${base}/property-service`);
      const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
      const current = (await admin.get(`${base}/settings`)).body;
      const put = await admin.put(`${base}/settings`, {
        expectedRevision: current.revision,
        categories: current.categories,
        evaluationWeights: { satisfaction: 40, timeliness: 45, ratings: 15 },
        agendaLabels: current.agendaLabels,
      });
      expect(put.status).toBe(200);
      const weights = await eventually(async () => {
        const evaluation = await staffAccounts.committee.get(`${base}/property-companies/${service.body.company.id}/evaluations/${month}`);
        const byName = Object.fromEntries(evaluation.body.components.map((c: { name: string; weight: number }) => [c.name, c.weight]));
        return byName.timeliness === 45 && byName;
      });
      expect(weights).toEqual({ timeliness: 45, ratings: 15 });
    });
  });

  describe('an expert consultation', () => {
    it('is asked by the committee, answered by the partner, decided, and published as an event', async () => {
      const profile = await admin.put(`${base}/partners/${residents.lawyer.personId}`, {
        domains: ['legal_services'],
        qualifications: ['Lawyer, Shanghai Bar Association'],
        availability: ['weekday_evening'],
        maxOpenConsultations: 2,
      });
      expect(profile.status).toBe(200);
      const asked = await staffAccounts.committee.post(`${base}/consultations`, {
        partnerPersonId: residents.lawyer.personId,
        domain: 'legal_services',
        question: 'May the committee sign the renewed service contract before the assembly votes on it?',
        documents: ['https://files.example.org/contracts/renewal-draft.pdf'],
        dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      });
      expect(asked.status).toBe(201);
      const path = `${base}/consultations/${asked.body.id}`;
      const byOther = await residents.hua.http.post(`${path}/answer`, { answer: 'Yes' });
      expect(byOther.status).toBe(403);
      const early = await staffAccounts.committee.post(`${path}/decision`, { adopted: true, reasons: 'x' });
      expect([early.status, early.body.code]).toEqual([409, ErrorCode.INVALID_TRANSITION]);
      const answered = await residents.lawyer.http.post(`${path}/answer`, { answer: 'No: the assembly must decide on hiring the company first.' });
      expect(answered.body.status).toBe('answered');
      expect((await residents.lawyer.http.get(`${base}/consultations`)).body.items.map((c: { id: string }) => c.id)).toEqual([asked.body.id]);

      const decided = await staffAccounts.committee.post(`${path}/decision`, { adopted: true, reasons: 'The vote is scheduled before signing.' });
      expect(decided.status).toBe(200);
      expect(decided.body).toMatchObject({ status: 'completed', decision: { adopted: true, reasons: 'The vote is scheduled before signing.' } });
      const event = await eventually(async () => completed.find((e) => (e.data as { consultationId: string }).consultationId === asked.body.id));
      expect(event).toMatchObject({
        type: PropertyEvents.consultationCompleted.type,
        communityId,
        data: { partnerPersonId: residents.lawyer.personId, domain: 'legal_services', adopted: true },
      });
    });
  });

  it('refuses a resident of the community on the district-wide company register', async () => {
    const res = await residents.ming.http.post('/api/v1/property-companies', { name: 'x', creditCode: '91310104MA1FL2XX3K' });
    expect(res.status).toBe(403);
  });
});
