import { INestApplication } from '@nestjs/common';
import {
  GridEvents,
  GridMeetingEvents,
  MembershipVolunteerEvents,
  NoticeKind,
  NoticeLanguage,
  Principal,
  PropertyEvents,
  Role,
} from '@cg/contracts';
import { NatsConnection, startServiceApp } from '@cg/messaging';
import { runId } from '@cg/testing';
import { NotificationsAppModule } from '../src/app.module';
import { PreferencesService } from '../src/delivery/preferences.service';
import { InboxService } from '../src/notices/inbox.service';
import { eventOf, notificationsConfig, oid, publish, settled } from './support';

describe('notices for case closing, volunteer hours, consultations, ballots and action items', () => {
  const { config, options } = notificationsConfig(runId());
  const communityId = oid();
  let app: INestApplication;
  let nats: NatsConnection;
  const person = (roles: Role[] = [Role.Resident]): Principal => {
    const personId = oid();
    return { sub: `acct-${personId}`, personId, name: 'Resident', roles, communityIds: [communityId] };
  };
  const kinds = async (p: Principal) => (await app.get(InboxService).list(p, { limit: 50 })).items;

  beforeAll(async () => {
    app = await startServiceApp(NotificationsAppModule.register(config, options), config);
    nats = app.get(NatsConnection);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('tells the reporter their case is closed with their rating', async () => {
    const reporter = person();
    const caseId = oid();
    await publish(nats, eventOf(GridEvents.caseFiled, communityId, {
      caseId, category: 'noise', urgency: 'normal', buildingId: oid(), gridId: oid(), reporterPersonId: reporter.personId, dueAt: new Date().toISOString(),
    }));
    await settled(nats);
    await publish(nats, eventOf(GridEvents.caseClosed, communityId, { caseId, gridId: oid(), rating: 'satisfied' }));
    await settled(nats);
    const [notice] = await kinds(reporter);
    expect(notice).toMatchObject({ kind: NoticeKind.CaseClosed, body: '您反映的“噪音”问题已办结，您的评价：满意。感谢您的参与。' });
  });

  it('tells a volunteer their hours, a partner their consultation, an owner of an action item due', async () => {
    const volunteer = person();
    const partner = person();
    const owner = person();
    await app.get(PreferencesService).set(partner, { language: NoticeLanguage.English });
    await publish(nats, eventOf(MembershipVolunteerEvents.hoursRecorded, communityId, {
      entryId: oid(), personId: volunteer.personId!, hours: '2.50', source: 'manual' as never, description: 'Lawn cleaning', occurredAt: new Date().toISOString(),
    }));
    await publish(nats, eventOf(PropertyEvents.consultationCompleted, communityId, {
      consultationId: oid(), partnerPersonId: partner.personId!, domain: 'legal_services', completedAt: new Date().toISOString(), adopted: true,
    }));
    await publish(nats, eventOf(GridMeetingEvents.actionItemDueSoon, communityId, {
      actionItemId: oid(), meetingId: oid(), title: 'Fix the gate', dueOn: '2026-12-03', ownerPersonId: owner.personId!,
    }));
    await settled(nats);
    expect((await kinds(volunteer))[0]).toMatchObject({ kind: NoticeKind.VolunteerHoursRecorded, body: '您的 2.50 小时志愿服务已记录（Lawn cleaning），感谢您的付出。' });
    expect((await kinds(partner))[0]).toMatchObject({ kind: NoticeKind.ConsultationCompleted, body: "Your legal services advice was adopted by the owners' committee. Thank you." });
    expect((await kinds(owner))[0]).toMatchObject({ kind: NoticeKind.ActionItemDueSoon, body: '您负责的待办“Fix the gate”将于 2026-12-03 到期，请及时办理。' });
  });

  it('tells the community\'s owners, and not its tenants, that a ballot opened and how it closed', async () => {
    const owner = person([Role.Resident, Role.Owner]);
    const tenant = person();
    const ballotId = oid();
    await publish(nats, eventOf(PropertyEvents.ballotOpened, communityId, {
      ballotId, title: 'Replace the lifts', matter: 'major_repair', opensAt: new Date().toISOString(), closesAt: '2026-12-20T10:00:00Z',
      electorate: { owners: 10, units: 10, area: '900.00' },
    }));
    await settled(nats);
    await publish(nats, eventOf(PropertyEvents.ballotClosed, communityId, {
      ballotId, closedAt: new Date().toISOString(), closedBy: 'schedule', outcome: 'carried', quorumMet: true, votesCounted: 8,
      channels: {} as never, recordHash: 'x',
    }));
    await settled(nats);
    const seen = (await kinds(owner)).map((n) => [n.kind, n.body]);
    expect(seen).toEqual(expect.arrayContaining([
      [NoticeKind.BallotOpened, '“Replace the lifts”已开始投票，截止时间 2026-12-20 18:00。'],
      [NoticeKind.BallotClosed, '“Replace the lifts”已结束：通过。'],
    ]));
    expect((await kinds(tenant)).filter((n) => n.kind.startsWith('ballot.'))).toEqual([]);
  });

  it('tells the community staff of an escalation when grid names no staff at the level', async () => {
    const staff = person([Role.CommunityStaff]);
    const caseId = oid();
    const escalated = eventOf(GridEvents.caseEscalated, communityId, { caseId, gridId: oid(), areaId: oid(), level: 'community', dueAt: new Date().toISOString() });
    await publish(nats, escalated);
    await settled(nats);
    expect((await kinds(staff)).map((n) => n.id)).toContain(escalated.id);
  });
});
