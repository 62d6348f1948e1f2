import { TokenService } from '@cg/auth';
import { GridPosition, Principal, Role } from '@cg/contracts';
import { eventually } from '@cg/testing';
import { Types } from 'mongoose';
import { CommunityFixture, buildCommunity } from '../../apps/activities/test/community-fixture';
import { TestSystem, client } from './support/system';

describe('following up who has not read an announcement, through the gateway', () => {
  const system = new TestSystem();
  let k: CommunityFixture;
  let leader: ReturnType<typeof client>;
  let toEveryone: string;
  let toBuildingOne: string;
  const unreadOf = async (api: ReturnType<typeof client>, id: string, query = '') => {
    const res = await api.get(`${k.base}/announcements/${id}/unread${query}`);
    return { ...res, ids: res.status === 200 ? res.body.items.map((r: { personId: string }) => r.personId).sort() : [] };
  };
  const person = (i: number) => k.residents[i].personId;

  beforeAll(async () => {
    await system.start();
    // Residents 0 and 2 live in building 0; residents 1 and 3 in building 1.
    k = await buildCommunity(system.baseUrl, system.id, 4);
    const leaderPersonId = String(new Types.ObjectId());
    const assigned = await k.admin.post(`${k.base}/staff`, {
      nodeId: k.buildingIds[0],
      position: GridPosition.BuildingLeader,
      name: 'Leader Wu',
      personId: leaderPersonId,
    });
    expect(assigned.status).toBe(201);
    const principal: Principal = { sub: 'acct-leader', name: 'Leader Wu', roles: [Role.BuildingLeader], personId: leaderPersonId, communityIds: [k.communityId] };
    leader = client(system.baseUrl, new TokenService(system.jwtSecret, 3600).issue(principal));
    const post = async (audience: Record<string, unknown>) =>
      (await k.admin.post(`${k.base}/announcements`, { title: 'Water off on Saturday', body: 'The pump is replaced.', audience })).body.id as string;
    toEveryone = await post({ scope: 'community' });
    toBuildingOne = await post({ scope: 'buildings', buildingIds: [k.buildingIds[1]] });
    for (const i of [0, 1]) {
      await eventually(async () => (await k.residents[i].api.post(`${k.base}/announcements/${toEveryone}/read`)).status === 200);
    }
  });

  afterAll(() => system.stop());

  it('lists the residents of the audience without a read receipt, with their household and building', async () => {
    const all = await unreadOf(k.admin, toEveryone);
    expect(all.status).toBe(200);
    expect(all.ids).toEqual([person(2), person(3)].sort());
    const two = all.body.items.find((r: { personId: string }) => r.personId === person(2));
    expect(two).toMatchObject({ name: k.residents[2].name, buildingId: k.buildingIds[0], gridId: k.gridIds[0] });
    expect(two.unitId).toEqual(expect.any(String));
    expect((await unreadOf(k.admin, toEveryone, `?buildingId=${k.buildingIds[0]}`)).ids).toEqual([person(2)]);
  });

  it('keeps to the announcement\'s audience', async () => {
    expect((await unreadOf(k.admin, toBuildingOne)).ids).toEqual([person(1), person(3)].sort());
    expect((await unreadOf(k.admin, toBuildingOne, `?buildingId=${k.buildingIds[0]}`)).ids).toEqual([]);
  });

  it('pages through the audience', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await unreadOf(k.admin, toEveryone, `?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.ids);
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen.sort()).toEqual([person(2), person(3)].sort());
  });

  it('lets a building leader follow up the building they lead, and only that one', async () => {
    expect((await unreadOf(leader, toEveryone, `?buildingId=${k.buildingIds[0]}`)).ids).toEqual([person(2)]);
    expect((await unreadOf(leader, toEveryone)).status).toBe(403);
    expect((await unreadOf(leader, toEveryone, `?buildingId=${k.buildingIds[1]}`)).status).toBe(403);
  });

  it('refuses residents, unknown notices and bad input', async () => {
    expect((await unreadOf(k.residents[2].api, toEveryone)).status).toBe(403);
    expect((await unreadOf(k.admin, String(new Types.ObjectId()))).status).toBe(404);
    expect((await unreadOf(k.admin, toEveryone, '?buildingId=nope')).status).toBe(400);
  });
});
