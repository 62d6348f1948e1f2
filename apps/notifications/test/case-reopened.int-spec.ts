import { INestApplication } from '@nestjs/common';
import { GridEvents, NoticeKind, Principal, Role } from '@cg/contracts';
import { NatsConnection, startServiceApp } from '@cg/messaging';
import { runId } from '@cg/testing';
import { NotificationsAppModule } from '../src/app.module';
import { InboxService } from '../src/notices/inbox.service';
import { eventOf, notificationsConfig, oid, publish, settled } from './support';

describe('notices of a case the reporter sent back', () => {
  const { config, options } = notificationsConfig(runId());
  const communityId = oid();
  let app: INestApplication;
  let nats: NatsConnection;
  const person = (roles: Role[]): Principal => {
    const personId = oid();
    return { sub: `acct-${personId}`, personId, name: 'Staff', roles, communityIds: [communityId] };
  };
  const notices = async (p: Principal) => (await app.get(InboxService).list(p, { limit: 50 })).items;

  beforeAll(async () => {
    app = await startServiceApp(NotificationsAppModule.register(config, options), config);
    nats = app.get(NatsConnection);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('tells the person who handled it, once however often the event arrives', async () => {
    const handler = person([Role.GridWorker]);
    const reopened = eventOf(GridEvents.caseReopened, communityId, {
      caseId: oid(), gridId: oid(), category: 'sanitation', handlerPersonId: handler.personId, dueAt: '2026-12-09T02:00:00Z',
    });
    await publish(nats, reopened);
    await publish(nats, reopened, `${reopened.id}-again`);
    await settled(nats);
    const seen = (await notices(handler)).filter((n) => n.kind === NoticeKind.CaseReopened);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      addressedTo: 'personal',
      body: '居民对“环境卫生”诉求的处理结果不满意，已退回重新办理，新的办结期限 2026-12-09 10:00。',
    });
  });

  it("tells the community's staff when no person handled it and grid names no staff of the grid", async () => {
    const staff = person([Role.CommunityStaff]);
    const resident = person([Role.Resident]);
    const reopened = eventOf(GridEvents.caseReopened, communityId, {
      caseId: oid(), gridId: oid(), category: 'noise', comment: 'Still loud', dueAt: '2026-12-09T02:00:00Z',
    });
    await publish(nats, reopened);
    await settled(nats);
    expect((await notices(staff)).find((n) => n.id === reopened.id)).toMatchObject({ kind: NoticeKind.CaseReopened, addressedTo: 'audience' });
    expect((await notices(resident)).map((n) => n.id)).not.toContain(reopened.id);
  });
});
