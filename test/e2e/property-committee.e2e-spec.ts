import { ErrorCode, Relation } from '@cg/contracts';
import { ADMIN, TestSystem, client } from './support/system';

type Client = ReturnType<typeof client>;

const chinaDay = (offsetDays = 0) =>
  new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe("the owners' committee and its terms, through the gateway", () => {
  const system = new TestSystem();
  let admin: Client;
  let communityId: string;
  let otherCommunityId: string;
  let base: string;
  const people: { personId: string; name: string; http: Client }[] = [];
  let outsider: Client;

  async function setUp(code: string): Promise<{ id: string; units: { id: string }[] }> {
    const id = (
      await admin.post('/api/v1/communities', {
        code: `${code}${system.id}`,
        name: `Community ${code}`,
        district: 'Xuhui District',
        street: 'Kangjian Street',
      })
    ).body.id;
    const area = await admin.post(`/api/v1/communities/${id}/areas`, { code: 'A1', name: 'Area 1' });
    const grid = await admin.post(`/api/v1/communities/${id}/grids`, {
      areaId: area.body.id,
      code: 'G01',
      name: 'Grid 1',
    });
    const bulk = await admin.post(`/api/v1/communities/${id}/buildings/bulk`, {
      gridId: grid.body.id,
      buildings: [{ code: 'B1', floors: 2, unitsPerFloor: 2 }],
    });
    const units = (
      await admin.get(`/api/v1/communities/${id}/buildings/${bulk.body.buildings[0].id}/units?limit=10`)
    ).body.items;
    return { id, units };
  }

  async function resident(
    community: string,
    unitId: string,
    name: string,
    phone: string,
  ): Promise<{ personId: string; name: string; http: Client }> {
    const username = `${name.toLowerCase()}.${system.id}`;
    const res = await admin.post(`/api/v1/communities/${community}/residents`, {
      name,
      phone,
      unitId,
      relation: Relation.Owner,
      account: { username, password: 'resident-password-1' },
    });
    expect(res.status).toBe(201);
    const session = await client(system.baseUrl).post('/api/v1/auth/login', {
      username,
      password: 'resident-password-1',
    });
    return { personId: res.body.id, name, http: client(system.baseUrl, session.body.accessToken) };
  }

  beforeAll(async () => {
    await system.start();
    const session = await client(system.baseUrl).post('/api/v1/auth/login', ADMIN);
    admin = client(system.baseUrl, session.body.accessToken);
    const home = await setUp('OC');
    communityId = home.id;
    base = `/api/v1/communities/${communityId}/committee`;
    for (const [i, name] of ['Tang', 'Song', 'Yuan', 'Ming'].entries())
      people.push(await resident(communityId, home.units[i].id, name, `1390000000${i}`));
    const other = await setUp('OX');
    otherCommunityId = other.id;
    outsider = (await resident(otherCommunityId, other.units[0].id, 'Qing', '13900000009')).http;
  });

  afterAll(async () => {
    await system.stop();
  });

  const members = (chair: number, vice?: number) =>
    people
      .slice(0, 3)
      .map((p, i) => ({
        personId: p.personId,
        name: p.name,
        role: i === chair ? 'chair' : i === vice ? 'vice_chair' : 'member',
      }));

  it('has no committee before one is seated', async () => {
    const res = await people[3].http.get(base);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ communityId, on: chinaDay() });
  });

  it('refuses a committee without exactly one chair, and residents seating one', async () => {
    const noChair = await admin.post(`${base}/terms`, {
      startsOn: chinaDay(-10),
      endsOn: chinaDay(1800),
      members: members(-1),
      basis: 'Street office minutes no. 17',
    });
    expect([noChair.status, noChair.body.code]).toEqual([400, ErrorCode.VALIDATION_FAILED]);
    const byResident = await people[0].http.post(`${base}/terms`, {
      startsOn: chinaDay(-10),
      endsOn: chinaDay(1800),
      members: members(0),
      basis: 'x',
    });
    expect(byResident.status).toBe(403);
  });

  it("seats a committee with a term and shows it as today's committee, chair first", async () => {
    const seated = await admin.post(`${base}/terms`, {
      startsOn: chinaDay(-10),
      endsOn: chinaDay(1800),
      members: members(1, 2),
      basis: "Elected by the owners' assembly of 12 May (paper ballots), street office minutes no. 17",
    });
    expect(seated.status).toBe(201);
    expect(seated.body).toMatchObject({
      number: 1,
      source: 'recorded',
      status: 'sitting',
      startsOn: chinaDay(-10),
      endsOn: chinaDay(1800),
    });

    const today = await people[3].http.get(base);
    expect(today.status).toBe(200);
    expect(today.body.term.id).toBe(seated.body.id);
    expect(today.body.term.members.map((m: { name: string; role: string }) => [m.name, m.role])).toEqual([
      ['Song', 'chair'],
      ['Yuan', 'vice_chair'],
      ['Tang', 'member'],
    ]);
  });

  it('starts a next term that closes the sitting one the day before, keeping the history', async () => {
    const next = await admin.post(`${base}/terms`, {
      startsOn: chinaDay(60),
      endsOn: chinaDay(1900),
      members: members(0),
      basis: 'Re-election',
    });
    expect(next.status).toBe(201);
    expect(next.body).toMatchObject({ number: 2, status: 'upcoming' });
    const history = await people[0].http.get(`${base}/terms`);
    expect(history.status).toBe(200);
    expect(history.body.terms.map((t: { number: number; status: string }) => [t.number, t.status])).toEqual([
      [2, 'upcoming'],
      [1, 'sitting'],
    ]);
    expect(history.body.terms[1].ended).toEqual({ endedOn: chinaDay(59), reason: 'The next term started' });
    const early = await admin.post(`${base}/terms`, {
      startsOn: chinaDay(30),
      endsOn: chinaDay(1900),
      members: members(0),
      basis: 'x',
    });
    expect([early.status, early.body.code]).toEqual([400, ErrorCode.VALIDATION_FAILED]);
  });

  it("refuses another community's resident and a committee from an election that does not exist", async () => {
    expect((await outsider.get(base)).status).toBe(403);
    expect((await outsider.get(`${base}/terms`)).status).toBe(403);
    const missing = await admin.post(`${base}/terms/from-election`, {
      electionId: '64b7f0c2a1b2c3d4e5f60718',
      startsOn: chinaDay(100),
      endsOn: chinaDay(1900),
      chairPersonId: people[0].personId,
    });
    expect([missing.status, missing.body.code]).toEqual([404, ErrorCode.NOT_FOUND]);
    expect((await admin.get(`/api/v1/communities/${otherCommunityId}/committee`)).body.term).toBeUndefined();
  });
});
