import { getConnectionToken } from '@nestjs/mongoose';
import { ErrorCode, Relation } from '@cg/contracts';
import { eventually } from '@cg/testing';
import { Connection, Types } from 'mongoose';
import { ADMIN, TestSystem, client } from './support/system';

type Client = ReturnType<typeof client>;

describe('the deliberation forum, through the gateway', () => {
  const system = new TestSystem();
  let admin: Client;
  let communityId: string;
  let topics: string;
  let buildingId: string;
  const people: Record<'fang' | 'lu' | 'ye' | 'qin', Client> = {} as never;
  let outsider: Client;
  let topicId: string;

  async function setUp(
    code: string,
  ): Promise<{ id: string; buildingId: string; units: { id: string }[]; nextDoor: { id: string }[] }> {
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
      buildings: [
        { code: 'B1', floors: 2, unitsPerFloor: 2 },
        { code: 'B2', floors: 1, unitsPerFloor: 1 },
      ],
    });
    const unitsOf = async (building: { id: string }) =>
      (await admin.get(`/api/v1/communities/${id}/buildings/${building.id}/units?limit=10`)).body.items;
    const [units, nextDoor] = await Promise.all(bulk.body.buildings.map(unitsOf));
    return { id, buildingId: bulk.body.buildings[0].id, units, nextDoor };
  }

  async function resident(community: string, unitId: string, name: string, phone: string): Promise<Client> {
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
    return client(system.baseUrl, session.body.accessToken);
  }

  beforeAll(async () => {
    await system.start();
    const session = await client(system.baseUrl).post('/api/v1/auth/login', ADMIN);
    admin = client(system.baseUrl, session.body.accessToken);
    const home = await setUp('DF');
    communityId = home.id;
    buildingId = home.buildingId;
    topics = `/api/v1/communities/${communityId}/topics`;
    people.fang = await resident(communityId, home.units[0].id, 'Fang', '13600000001');
    people.lu = await resident(communityId, home.units[1].id, 'Lu', '13600000002');
    people.ye = await resident(communityId, home.units[2].id, 'Ye', '13600000003');
    people.qin = await resident(communityId, home.nextDoor[0].id, 'Qin', '13600000004');
    const other = await setUp('DX');
    outsider = await resident(other.id, other.units[0].id, 'Hua', '13600000009');
  });

  afterAll(async () => {
    await system.stop();
  });

  it('lets a resident raise a topic for a building', async () => {
    const res = await people.fang.post(topics, {
      title: 'Turn the bike shed of B1 into a parcel room',
      description: 'Parcels pile up in the lobby every day; the shed has been empty since 2022.',
      category: 'common_parts',
      scope: 'building',
      scopeId: buildingId,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      scope: 'building',
      scopeId: buildingId,
      supports: 0,
      replies: 0,
      authorName: 'Fang',
    });
    topicId = res.body.id;
    const invalid = await people.fang.post(topics, { title: '', description: 'x', category: 'gossip' });
    expect(invalid.status).toBe(400);
  });

  it('counts one support per person and ranks the forum by support', async () => {
    // Property learns where Lu lives from membership's event; until then the support is refused and not stored.
    await eventually(async () => (await people.lu.post(`${topics}/${topicId}/supports`)).status === 201);
    const again = await people.lu.post(`${topics}/${topicId}/supports`);
    expect([again.status, again.body.code]).toEqual([409, ErrorCode.DUPLICATE]);
    const ye = await eventually(async () => {
      const res = await people.ye.post(`${topics}/${topicId}/supports`);
      return res.status === 201 && res;
    });
    expect(ye.body).toMatchObject({ supports: 2, supportedByMe: true });
    const later = await people.ye.post(topics, {
      title: 'Paint the railings',
      description: 'Rusty.',
      category: 'environment',
    });
    expect(later.status).toBe(201);
    const list = await people.fang.get(`${topics}?limit=10`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: { id: string; supports: number }) => [t.id, t.supports])).toEqual([
      [topicId, 2],
      [later.body.id, 0],
    ]);
  });

  it("refuses the support of a resident living outside the topic's building, and counts nothing", async () => {
    const community = await people.fang.post(topics, { title: 'A quiet hour for the square', description: 'x', category: 'neighbourhood' });
    await eventually(async () => (await people.qin.post(`${topics}/${community.body.id}/supports`)).status === 201);
    const outside = await people.qin.post(`${topics}/${topicId}/supports`);
    expect([outside.status, outside.body.code]).toEqual([403, ErrorCode.NOT_ELIGIBLE]);
    expect((await people.fang.get(`${topics}/${topicId}`)).body).toMatchObject({ supports: 2 });
    expect((await admin.post(`${topics}/${topicId}/supports`)).status).toBe(403);
    expect((await admin.post(`${topics}/${community.body.id}/hide`, { reason: 'Kept out of the ranking' })).status).toBe(200);
  });

  it('refuses supports to a topic past its expiry below the threshold', async () => {
    const raised = await people.fang.post(topics, { title: 'Repaint the bike lanes', description: 'Faded.', category: 'safety' });
    expect(raised.status).toBe(201);
    expect(raised.body).toMatchObject({ expired: false });
    expect(Date.parse(raised.body.expiresAt) - Date.parse(raised.body.raisedAt)).toBe(30 * 86_400_000);
    // As if it had been raised 30 days ago.
    await system
      .property!.get<Connection>(getConnectionToken())
      .collection('deliberation_topics')
      .updateOne({ _id: new Types.ObjectId(raised.body.id) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const late = await people.lu.post(`${topics}/${raised.body.id}/supports`);
    expect([late.status, late.body.code]).toEqual([409, ErrorCode.OUTSIDE_WINDOW]);
    expect(late.body.detail).toContain('expired');
    expect((await people.lu.get(`${topics}/${raised.body.id}`)).body).toMatchObject({ supports: 0, supportedByMe: false, expired: true });
    expect((await admin.post(`${topics}/${raised.body.id}/hide`, { reason: 'Kept out of the ranking' })).status).toBe(200);
  });

  it('takes replies, and staff hide one with a reason that residents see instead of the text', async () => {
    const kind = await people.ye.post(`${topics}/${topicId}/replies`, {
      body: 'The shed floods in summer; it needs a raised floor.',
    });
    const rude = await people.lu.post(`${topics}/${topicId}/replies`, {
      body: 'Whoever leaves boxes in 3F is an idiot',
    });
    expect([kind.status, rude.status]).toEqual([201, 201]);
    const byResident = await people.fang.post(`${topics}/${topicId}/replies/${rude.body.id}/hide`, {
      reason: 'x',
    });
    expect(byResident.status).toBe(403);
    const hidden = await admin.post(`${topics}/${topicId}/replies/${rude.body.id}/hide`, {
      reason: 'Insults a neighbour',
    });
    expect(hidden.status).toBe(200);
    expect(hidden.body.hidden.reason).toBe('Insults a neighbour');
    const replies = await people.fang.get(`${topics}/${topicId}/replies`);
    expect(replies.status).toBe(200);
    expect(
      replies.body.items.map((r: { body?: string; hidden?: { reason: string } }) => [
        r.body,
        r.hidden?.reason,
      ]),
    ).toEqual([
      ['The shed floods in summer; it needs a raised floor.', undefined],
      [undefined, 'Insults a neighbour'],
    ]);
    expect((await people.fang.get(`${topics}/${topicId}`)).body.replies).toBe(2);
  });

  it("turns the topic into an owners' assembly ballot once", async () => {
    const body = {
      matter: 'common_parts_use_change',
      opensAt: new Date(Date.now() + 3600_000).toISOString(),
      closesAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
    };
    expect((await people.fang.post(`${topics}/${topicId}/ballot`, body)).status).toBe(403);
    const settings = `/api/v1/communities/${communityId}/deliberation-settings`;
    expect((await admin.call('PUT', settings, { supportThreshold: 2 })).status).toBe(200);
    expect((await admin.post(`${topics}/${topicId}/take-up`, {})).status).toBe(201);
    const referred = await admin.post(`${topics}/${topicId}/response`, {
      text: "A change of use of the shed is for the owners' assembly.",
      decision: 'referred_to_ballot',
    });
    expect(referred.status).toBe(201);
    const made = await admin.post(`${topics}/${topicId}/ballot`, body);
    expect(made.status).toBe(201);
    expect(made.body.ballot).toMatchObject({
      title: 'Turn the bike shed of B1 into a parcel room',
      matter: 'common_parts_use_change',
      majority: 'special',
      status: 'draft',
    });
    expect(made.body.topic.ballotId).toBe(made.body.ballot.id);
    const again = await admin.post(`${topics}/${topicId}/ballot`, body);
    expect([again.status, again.body.code]).toEqual([409, ErrorCode.DUPLICATE]);
    const ballot = await people.fang.get(`/api/v1/communities/${communityId}/ballots/${made.body.ballot.id}`);
    expect(ballot.status).toBe(200);
    expect((await people.lu.get(`${topics}/${topicId}`)).body.ballotId).toBe(made.body.ballot.id);
  });

  it('hides a topic from the residents’ list, and refuses another community’s resident', async () => {
    const hidden = await admin.post(`${topics}/${topicId}/hide`, { reason: 'Moved to the ballot' });
    expect(hidden.status).toBe(200);
    expect((await people.ye.get(topics)).body.items.map((t: { id: string }) => t.id)).not.toContain(topicId);
    const support = await people.fang.post(`${topics}/${topicId}/supports`);
    expect([support.status, support.body.code]).toEqual([409, ErrorCode.INVALID_TRANSITION]);
    expect((await outsider.get(topics)).status).toBe(403);
    expect((await outsider.post(`${topics}/${topicId}/supports`)).status).toBe(403);
    expect((await outsider.post(topics, { title: 'x', description: 'x', category: 'other' })).status).toBe(
      403,
    );
  });
});
