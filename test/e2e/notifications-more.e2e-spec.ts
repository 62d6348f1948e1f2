import { MembershipOwnerEvents, OwnershipRecordedData, newEvent } from '@cg/contracts';
import { EventPublisher } from '@cg/messaging';
import { eventually } from '@cg/testing';
import { Types } from 'mongoose';
import { CommunityFixture, buildCommunity } from '../../apps/activities/test/community-fixture';
import { TestSystem } from './support/system';

const hour = 3600_000;

describe('notices of a case sent back and a ballot closing soon, through the gateway', () => {
  const system = new TestSystem();
  let k: CommunityFixture;
  const inbox = '/api/v1/me/notifications';

  const noticesOf = async (i: number) => {
    const res = await k.residents[i].api.get(`${inbox}?limit=200`);
    expect(res.status).toBe(200);
    return res.body.items as any[];
  };
  const noticeFor = (i: number, match: (n: any) => boolean) => eventually(async () => (await noticesOf(i)).find(match));

  beforeAll(async () => {
    // Every replica of property looks for ballots closing within a day this often.
    process.env.BALLOT_SWEEP_MS = '200';
    await system.start();
    // Resident 0 owns a unit in building 0; residents 1 and 2 are tenants.
    k = await buildCommunity(system.baseUrl, system.id, 3);
  });

  afterAll(async () => {
    await system.stop();
  });

  it('tells the handler a case came back when the reporter is not satisfied, and the reporter nothing of it', async () => {
    const [reporter, handler] = [k.residents[0], k.residents[1]];
    const filed = await reporter.api.post(`${k.base}/cases`, {
      category: 'noise',
      urgency: 'normal',
      description: 'Drilling every night after 22:00',
      locationKind: 'building',
      locationId: k.buildingIds[0],
    });
    expect(filed.status).toBe(201);
    const url = `${k.base}/cases/${filed.body.id}`;
    expect((await k.admin.post(`${url}/accept`, {})).status).toBe(200);
    const assigned = await k.admin.post(`${url}/assign`, {
      assigneeKind: 'building_leader',
      assigneeName: handler.name,
      assigneePersonId: handler.personId,
    });
    expect(assigned.status).toBe(200);
    expect((await handler.api.post(`${url}/start`, {})).status).toBe(200);
    expect((await handler.api.post(`${url}/resolve`, {})).status).toBe(200);
    const rated = await reporter.api.post(`${url}/rate`, { rating: 'dissatisfied', comment: 'Still drilling' });
    expect(rated.status).toBe(200);
    expect(rated.body.status).toBe('accepted');

    const notice = await noticeFor(1, (n) => n.kind === 'case.reopened');
    expect(notice).toMatchObject({
      title: '诉求被退回重办',
      addressedTo: 'personal',
      read: false,
      link: { kind: 'case', id: filed.body.id },
    });
    expect(notice.body).toContain('居民对“噪音”诉求的处理结果不满意，已退回重新办理（居民意见：Still drilling），新的办结期限');
    await handler.api.put(`${inbox}/preferences`, { language: 'en' });
    const english = (await noticesOf(1)).find((n) => n.id === notice.id);
    expect(english.title).toBe('A case came back to be handled again');
    expect(english.body).toContain('The resident was not satisfied with how the noise case was handled ("Still drilling"); it is open again, due by');
    await handler.api.put(`${inbox}/preferences`, { language: 'zh-CN' });
    expect((await noticesOf(0)).filter((n) => n.kind === 'case.reopened')).toEqual([]);
  });

  it("tells the community's owners once, and not its tenants, that a ballot closes within a day", async () => {
    const owner = k.residents[0];
    await system.property!.get(EventPublisher).publish(
      newEvent<OwnershipRecordedData>(
        MembershipOwnerEvents.ownershipRecorded,
        {
          unitId: new Types.ObjectId().toHexString(),
          buildingId: k.buildingIds[0],
          gridId: k.gridIds[0],
          exclusiveArea: '90.00',
          areaSource: 'register',
          ownerPersonIds: [owner.personId],
          voterPersonId: owner.personId,
          headcountKey: owner.personId,
          revision: 1,
        },
        { communityId: k.communityId, actor: 'membership', correlationId: `e2e-closing-soon-${system.id}` },
      ),
    );
    await eventually(async () => (await k.admin.get(`${k.base}/owner-register/summary`)).body?.units >= 1);
    const closesAt = new Date(Date.now() + 6 * hour);
    const created = await k.admin.post(`${k.base}/ballots`, {
      title: 'Renew the contract of the property company',
      matter: 'property_company_hiring',
      options: ['for', 'against'],
      opensAt: new Date(Date.now() - hour).toISOString(),
      closesAt: closesAt.toISOString(),
    });
    expect(created.status).toBe(201);
    expect((await k.admin.post(`${k.base}/ballots/${created.body.id}/open`)).status).toBe(200);

    const notice = await noticeFor(0, (n) => n.kind === 'ballot.closing-soon' && n.link?.id === created.body.id);
    const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }).format(closesAt);
    expect(notice).toMatchObject({
      title: '业主表决即将截止',
      body: `“Renew the contract of the property company”将于 ${local} 截止投票，尚未投票的业主请及时投票。`,
      addressedTo: 'audience',
      link: { kind: 'ballot', id: created.body.id },
    });
    // Several more sweeps later, still one.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await noticesOf(0)).filter((n) => n.kind === 'ballot.closing-soon' && n.link?.id === created.body.id)).toHaveLength(1);
    expect((await noticesOf(1)).filter((n) => n.kind.startsWith('ballot.'))).toEqual([]);
  });
});
