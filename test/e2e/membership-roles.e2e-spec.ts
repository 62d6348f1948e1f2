import { ADMIN, TestSystem, client } from './support/system';

describe("a token's roles follow the person's records", () => {
  const system = new TestSystem();
  let admin: ReturnType<typeof client>;
  let cid: string;
  let personId: string;
  const username = () => `roles.${system.id}`;

  const login = async () =>
    (await client(system.baseUrl).post('/api/v1/auth/login', { username: username(), password: 'resident-password' })).body;

  beforeAll(async () => {
    await system.start();
    admin = client(system.baseUrl, (await client(system.baseUrl).post('/api/v1/auth/login', ADMIN)).body.accessToken);
    cid = (await admin.post('/api/v1/communities', { code: `R${system.id}`, name: 'Roles', district: 'D', street: 'S' })).body.id;
    const area = await admin.post(`/api/v1/communities/${cid}/areas`, { code: 'A1', name: 'Area 1' });
    const grid = await admin.post(`/api/v1/communities/${cid}/grids`, { areaId: area.body.id, code: 'G1', name: 'Grid 1' });
    const bulk = await admin.post(`/api/v1/communities/${cid}/buildings/bulk`, { gridId: grid.body.id, buildings: [{ code: 'B1', floors: 1, unitsPerFloor: 2 }] });
    const units = await admin.get(`/api/v1/communities/${cid}/buildings/${bulk.body.buildings[0].id}/units`);
    const registered = await admin.post(`/api/v1/communities/${cid}/residents`, {
      name: 'Hu Ping',
      phone: '13400000000',
      unitId: units.body.items[0].id,
      relation: 'owner',
      account: { username: username(), password: 'resident-password' },
    });
    personId = registered.body.id;
  });

  afterAll(async () => {
    await system.stop();
  });

  it('gives a plain resident only the roles of the account', async () => {
    expect((await login()).principal.roles).toEqual(['resident', 'owner']);
  });

  it('adds party member, volunteer and owners committee member once the records exist', async () => {
    expect(
      (await admin.call('PUT', `/api/v1/communities/${cid}/party-members/${personId}`, { workplaceOrganisation: 'Party branch of the district hospital', joinedOn: '2005-07-01', status: 'in_service' })).status,
    ).toBe(200);
    expect(
      (await admin.call('PUT', `/api/v1/communities/${cid}/volunteers/${personId}`, { skills: ['first aid'], availability: ['weekend_morning'] })).status,
    ).toBe(200);
    const body = await admin.post(`/api/v1/communities/${cid}/bodies`, { kind: 'owners_committee', name: "Owners' committee" });
    expect(body.status).toBe(201);
    const term = await admin.post(`/api/v1/communities/${cid}/bodies/${body.body.id}/terms`, { personId, position: 'member', from: '2026-01-01' });
    expect(term.status).toBe(201);
    const roles: string[] = (await login()).principal.roles;
    expect(roles.sort()).toEqual(['owner', 'owners_committee_member', 'party_member', 'resident', 'volunteer']);
  });
});
