import { INestApplication } from '@nestjs/common';
import {
  AnnouncementEvents,
  AnnouncementPublishedData,
  AnnouncementScope,
  DOMAIN_EVENTS_STREAM,
  EventEnvelope,
  Principal,
  Role,
  ServiceName,
} from '@cg/contracts';
import { DurableConsumers, NatsConnection, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, Types } from 'mongoose';
import { GridAppModule } from '../../grid/src/app.module';
import { HierarchyService } from '../../grid/src/hierarchy/hierarchy.service';
import { ActivitiesAppModule } from '../src/app.module';
import { AnnouncementsRepository } from '../src/announcements/announcements.repository';
import { AnnouncementsService } from '../src/announcements/announcements.service';

const admin: Principal = { sub: 'admin', name: 'Admin', roles: [Role.DistrictAdmin], communityIds: [] };

describe('scheduled announcements in the activities service, with two instances on one database', () => {
  const id = runId();
  const gridConfig = testServiceConfig(ServiceName.Grid, id);
  const config = testServiceConfig(ServiceName.Activities, id);
  let grid: INestApplication;
  let first: INestApplication;
  let second: INestApplication;
  let communityId: string;
  let staff: Principal;
  const published: EventEnvelope<AnnouncementPublishedData>[] = [];
  const eventsOf = (announcementId: string) =>
    published.filter((e) => e.data.announcementId === announcementId);

  beforeAll(async () => {
    grid = await startServiceApp(GridAppModule.register(gridConfig), gridConfig);
    first = await startServiceApp(ActivitiesAppModule.register(config), config);
    second = await startServiceApp(ActivitiesAppModule.register(config), config);
    communityId = (
      await grid
        .get(HierarchyService)
        .createCommunity(admin, { code: `N${id}`, name: 'K', district: 'Xuhui', street: 'Kangjian' })
    ).id;
    staff = { sub: 'staff', name: 'Chen Jing', roles: [Role.CommunityStaff], communityIds: [communityId] };
    await first.get(DurableConsumers).start({
      durable: `announcements-test-${id}`,
      event: AnnouncementEvents.published,
      handle: async (e) => void published.push(e),
    });
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await grid?.close();
  });

  it('publishes a due notice once when both instances sweep at the same time', async () => {
    const notice = await first.get(AnnouncementsService).post(staff, communityId, {
      title: 'Health run on Sunday',
      body: 'Start at the east gate.',
      audience: { scope: AnnouncementScope.Community },
      publishAt: new Date(Date.now() + 500).toISOString(),
    });
    expect(notice.state).toBe('scheduled');
    const due = new Date(Date.now() + 1000);
    await Promise.all(
      [first, second, first, second].map((app) => app.get(AnnouncementsService).publishDue(due)),
    );
    await eventually(async () => eventsOf(notice.id).length > 0);
    // Every outbox emptied and every published event consumed: a second event would be counted by now.
    const db = first.get<Connection>(getConnectionToken());
    await eventually(async () => (await db.collection('announcements').countDocuments({ 'outbox.0': { $exists: true } })) === 0);
    const nats = first.get(NatsConnection);
    await eventually(async () => {
      const info = await nats.jsm.consumers.info(DOMAIN_EVENTS_STREAM, `announcements-test-${id}`);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });
    expect(eventsOf(notice.id)).toHaveLength(1);
    expect(eventsOf(notice.id)[0]).toMatchObject({
      communityId,
      actor: 'staff',
      data: { title: 'Health run on Sunday', scope: 'community' },
    });
  });

  it('publishes a notice whose event was never written, as after a crash between the two writes', async () => {
    const repository = first.get(AnnouncementsRepository);
    const announcementId = new Types.ObjectId();
    await repository.insert({
      _id: announcementId,
      communityId: new Types.ObjectId(communityId),
      title: 'Written before a crash',
      body: 'The process stopped before the publication was written.',
      scope: AnnouncementScope.Community,
      targetIds: [],
      targets: ['community'],
      publishAt: new Date(Date.now() - 1000),
      rank: 0,
      announced: false,
      postedBy: 'staff',
      postedAt: new Date(),
      outbox: [],
    });
    await second.get(AnnouncementsService).publishDue(new Date());
    await eventually(async () => eventsOf(String(announcementId)).length === 1);
    const feed = await first.get(AnnouncementsService).list(staff, communityId, {});
    expect(feed.items.map((a) => a.id)).toContain(String(announcementId));
  });
});
