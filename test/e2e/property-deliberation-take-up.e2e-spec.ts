import { ErrorCode, Relation, Role } from '@cg/contracts';
import { eventually } from '@cg/testing';
import { ADMIN, TestSystem, client } from './support/system';

type Client = ReturnType<typeof client>;

describe('a well-supported topic taken up by a committee, through the gateway', () => {
  const system = new TestSystem();
  let admin: Client;
  let communityId: string;
  let topics: string;
  let settings: string;
  const people: Record<'an' | 'bo' | 'cai', Client> = {} as never;
  const staff: Client[] = [];
  const committee: Client[] = [];
  let outsiderStaff: Client;
  let topicId: string;

  async function login(username: string, password: string): Promise<Client> {
    const session = await client(system.baseUrl).post('/api/v1/auth/login', { username, password });
    expect(session.status).toBe(200);
    return client(system.baseUrl, session.body.accessToken);
  }

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

  async function resident(unitId: string, name: string, phone: string): Promise<Client> {
    const username = `${name.toLowerCase()}.tu.${system.id}`;
    const res = await admin.post(`/api/v1/communities/${communityId}/residents`, {
      name,
      phone,
      unitId,
      relation: Relation.Owner,
      account: { username, password: 'resident-password-1' },
    });
    expect(res.status).toBe(201);
    return login(username, 'resident-password-1');
  }

  async function account(key: string, roles: Role[], community: string): Promise<Client> {
    const username = `${key}.tu.${system.id}`;
    const res = await admin.post('/api/v1/accounts', {
      username,
      password: 'staff-password-12',
      name: key,
      roles,
      communityIds: [community],
    });
    expect(res.status).toBe(201);
    return login(username, 'staff-password-12');
  }

  const ballotBody = () => ({
    matter: 'other_major_matter',
    opensAt: new Date(Date.now() + 3600_000).toISOString(),
    closesAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
  });

  const outcome = (res: { status: number; body: { code?: string } }) =>
    res.status < 300 ? String(res.status) : `${res.status} ${res.body.code}`;

  beforeAll(async () => {
    await system.start();
    admin = await login(ADMIN.username, ADMIN.password);
    const home = await setUp('TU');
    communityId = home.id;
    topics = `/api/v1/communities/${communityId}/topics`;
    settings = `/api/v1/communities/${communityId}/deliberation-settings`;
    people.an = await resident(home.units[0].id, 'An', '13700000001');
    people.bo = await resident(home.units[1].id, 'Bo', '13700000002');
    people.cai = await resident(home.units[2].id, 'Cai', '13700000003');
    staff.push(await account('staff-1', [Role.CommunityStaff], communityId));
    staff.push(await account('staff-2', [Role.CommunityStaff], communityId));
    committee.push(await account('oc-1', [Role.OwnersCommitteeMember], communityId));
    committee.push(await account('oc-2', [Role.OwnersCommitteeMember], communityId));
    const other = await setUp('TX');
    outsiderStaff = await account('staff-x', [Role.CommunityStaff, Role.OwnersCommitteeMember], other.id);
  });

  afterAll(async () => {
    await system.stop();
  });

  it('uses the default threshold until staff set one, and lets only staff set it', async () => {
    const initial = await people.an.get(settings);
    expect(initial.status).toBe(200);
    expect(initial.body).toMatchObject({ communityId, supportThreshold: 20, customised: false });
    expect((await people.an.call('PUT', settings, { supportThreshold: 1 })).status).toBe(403);
    expect((await committee[0].call('PUT', settings, { supportThreshold: 1 })).status).toBe(403);
    expect((await staff[0].call('PUT', settings, { supportThreshold: 0 })).status).toBe(400);
    const saved = await staff[0].call('PUT', settings, { supportThreshold: 3 });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ supportThreshold: 3, customised: true });
    expect((await people.bo.get(settings)).body.supportThreshold).toBe(3);
  });

  it('refuses to take up a topic below the threshold, and a response before any take-up', async () => {
    const raised = await people.an.post(topics, {
      title: 'Light the footpath behind B1',
      description: 'The path to the bus stop is dark after 6 pm in winter.',
      category: 'safety',
    });
    expect(raised.status).toBe(201);
    topicId = raised.body.id;
    // Property learns where each resident lives from membership's events; until then a support is refused.
    for (const who of [people.bo, people.cai]) {
      await eventually(async () => (await who.post(`${topics}/${topicId}/supports`)).status === 201);
    }

    const early = await staff[0].post(`${topics}/${topicId}/take-up`);
    expect([early.status, early.body.code]).toEqual([409, ErrorCode.BELOW_SUPPORT_THRESHOLD]);
    expect(early.body.detail).toContain('2 of the 3 supports');
    const ballot = await staff[0].post(`${topics}/${topicId}/ballot`, ballotBody());
    expect([ballot.status, ballot.body.code]).toEqual([409, ErrorCode.BELOW_SUPPORT_THRESHOLD]);
    expect((await people.an.get(`${topics}/${topicId}`)).body).toMatchObject({ supports: 2 });
    expect((await people.an.get(`${topics}/${topicId}`)).body.takeUp).toBeUndefined();
    const response = await staff[0].post(`${topics}/${topicId}/response`, {
      text: 'We will look into it',
      decision: 'accepted',
    });
    expect([response.status, response.body.code]).toEqual([409, ErrorCode.INVALID_TRANSITION]);
    expect((await people.an.post(`${topics}/${topicId}/take-up`)).status).toBe(403);
  });

  it('is taken up exactly once when both committees act at the same moment', async () => {
    await eventually(async () => (await people.an.post(`${topics}/${topicId}/supports`)).status === 201);
    const outcomes = await Promise.all(
      [...staff, ...committee, ...staff, ...committee].map((c) => c.post(`${topics}/${topicId}/take-up`, {})),
    );
    expect(outcomes.map(outcome).sort()).toEqual(['201', ...Array(7).fill(`409 ${ErrorCode.DUPLICATE}`)]);
    const winner = outcomes.find((r) => r.status === 201)!;
    expect(winner.body.takeUp).toMatchObject({ supports: 3, threshold: 3 });
    expect(['residents_committee', 'owners_committee']).toContain(winner.body.takeUp.body);
    expect(['staff-1', 'staff-2', 'oc-1', 'oc-2']).toContain(winner.body.takeUp.byName);

    const seen = await people.cai.get(`${topics}/${topicId}`);
    expect(seen.status).toBe(200);
    expect(seen.body.takeUp).toEqual(winner.body.takeUp);
    expect(seen.body.response).toBeUndefined();
    const listed = await people.cai.get(topics);
    expect(listed.body.items.find((t: { id: string }) => t.id === topicId).takeUp).toEqual(
      winner.body.takeUp,
    );
  });

  it('refuses to put a taken-up topic to a ballot before the committee responded, and drafts nothing', async () => {
    const ballot = await committee[0].post(`${topics}/${topicId}/ballot`, ballotBody());
    expect([ballot.status, ballot.body.code]).toEqual([409, ErrorCode.COMMITTEE_RESPONSE_REQUIRED]);
    expect(ballot.body.detail).toContain('has not responded');
    expect((await people.an.get(`${topics}/${topicId}`)).body.ballotId).toBeUndefined();
    expect((await staff[0].get(`/api/v1/communities/${communityId}/ballots`)).body.items).toEqual([]);
  });

  it('records the response of the body that took it up, once, and shows it on the topic', async () => {
    const taken = (await people.an.get(`${topics}/${topicId}`)).body.takeUp;
    const [members, others] = taken.body === 'residents_committee' ? [staff, committee] : [committee, staff];
    const body = { text: 'Two lamps go up on the footpath this month.', decision: 'accepted' };
    const wrongBody = await others[0].post(`${topics}/${topicId}/response`, body);
    expect([wrongBody.status, wrongBody.body.code]).toEqual([403, ErrorCode.FORBIDDEN]);
    expect(
      (await members[0].post(`${topics}/${topicId}/response`, { ...body, decision: 'maybe' })).status,
    ).toBe(400);

    const outcomes = await Promise.all(
      [...members, ...members, ...members].map((c) => c.post(`${topics}/${topicId}/response`, body)),
    );
    expect(outcomes.map(outcome).sort()).toEqual(['201', ...Array(5).fill(`409 ${ErrorCode.DUPLICATE}`)]);
    const seen = await people.bo.get(`${topics}/${topicId}`);
    expect(seen.body.response).toMatchObject({
      body: taken.body,
      text: 'Two lamps go up on the footpath this month.',
      decision: 'accepted',
    });
    expect(seen.body.takeUp).toEqual(taken);
    const declined = await committee[0].post(`${topics}/${topicId}/ballot`, ballotBody());
    expect([declined.status, declined.body.code]).toEqual([409, ErrorCode.COMMITTEE_RESPONSE_REQUIRED]);
    expect(declined.body.detail).toContain('did not refer this topic to a ballot');
  });

  it("refuses another community's staff and committee", async () => {
    expect((await outsiderStaff.get(settings)).status).toBe(403);
    expect((await outsiderStaff.call('PUT', settings, { supportThreshold: 1 })).status).toBe(403);
    expect(
      (await outsiderStaff.post(`${topics}/${topicId}/take-up`, { body: 'owners_committee' })).status,
    ).toBe(403);
    expect(
      (await outsiderStaff.post(`${topics}/${topicId}/response`, { text: 'x', decision: 'declined' })).status,
    ).toBe(403);
    expect((await people.an.get(settings)).body.supportThreshold).toBe(3);
  });
});
