import { INestApplication } from '@nestjs/common';
import {
  ActivitiesEvents,
  AnnouncementEvents,
  AnnouncementScope,
  GridEvents,
  NoticeKind,
  NoticeLanguage,
  NotificationSubjects,
  Principal,
  Role,
} from '@cg/contracts';
import { NatsConnection, startServiceApp } from '@cg/messaging';
import { eventually, runId } from '@cg/testing';
import mongoose, { Connection } from 'mongoose';
import { JSONCodec } from 'nats';
import { NotificationsAppModule } from '../src/app.module';
import { PreferencesService } from '../src/delivery/preferences.service';
import { InboxService } from '../src/notices/inbox.service';
import { FakePlace, activityPublished, eventOf, fakeGridResidence, notificationsConfig, oid, publish, settled } from './support';

describe('notices from domain events, and the inbox computed on read', () => {
  const id = runId();
  const { config, options } = notificationsConfig(id);
  const communityId = oid();
  const places = new Map<string, FakePlace>();
  const areaId = oid();
  const [gridA, gridB] = [oid(), oid()];
  const [buildingA, buildingB] = [oid(), oid()];
  const resident = (place?: FakePlace): Principal => {
    const personId = oid();
    if (place) places.set(personId, place);
    return { sub: `acct-${personId}`, personId, name: 'Resident', roles: [Role.Resident], communityIds: [communityId] };
  };
  let app: INestApplication;
  let nats: NatsConnection;
  let db: Connection;
  const inbox = () => app.get(InboxService);

  beforeAll(async () => {
    app = await startServiceApp(NotificationsAppModule.register(config, options), config);
    nats = app.get(NatsConnection);
    fakeGridResidence(nats.nc, places);
    db = await mongoose.createConnection(config.mongoUrl, { dbName: config.mongoDb }).asPromise();
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('stores one notice for a person when the same event is delivered twice', async () => {
    const person = resident();
    const activityId = oid();
    await publish(nats, activityPublished(communityId, activityId, 'Lawn music festival'));
    await settled(nats);
    const confirmed = eventOf(ActivitiesEvents.registrationConfirmed, communityId, {
      registrationId: oid(),
      activityId,
      personId: person.personId!,
      headcount: 1,
    });
    await publish(nats, confirmed, `${confirmed.id}-first`);
    await publish(nats, confirmed, `${confirmed.id}-again`);
    await settled(nats);

    expect(await db.collection('notices').countDocuments({ personId: person.personId })).toBe(1);
    const recipient = await db.collection('recipients').findOne({ _id: person.personId as never });
    expect(recipient?.recent).toHaveLength(1);
    const page = await inbox().list(person, {});
    expect(page.items).toEqual([
      expect.objectContaining({
        id: `${confirmed.id}:${person.personId}`,
        kind: NoticeKind.RegistrationConfirmed,
        title: '报名成功',
        body: '您已成功报名“Lawn music festival”。',
        read: false,
        addressedTo: 'personal',
        link: { kind: 'activity', id: activityId },
      }),
    ]);
  });

  it('stores an announcement to a building once, and shows it to residents of that building only', async () => {
    const inA = resident({ areaId, gridId: gridA, buildingId: buildingA });
    const inB = resident({ areaId, gridId: gridB, buildingId: buildingB });
    const announced = eventOf(AnnouncementEvents.published, communityId, {
      announcementId: oid(),
      title: 'Lift maintenance on Friday',
      scope: AnnouncementScope.Buildings,
      targetIds: [buildingA],
      publishAt: new Date().toISOString(),
      pinned: false,
    });
    await publish(nats, announced);
    await settled(nats);

    expect(await db.collection('audience_notices').countDocuments({ _id: announced.id as never })).toBe(1);
    expect(await db.collection('notices').countDocuments({ eventId: announced.id })).toBe(0);
    expect((await inbox().list(inA, {})).items.map((n) => n.id)).toEqual([announced.id]);
    expect((await inbox().list(inB, {})).items).toEqual([]);
    expect(await inbox().unreadCount(inA)).toEqual({ unread: 1 });
    await expect(inbox().markRead(inB, announced.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('counts unread as audience notices since the watermark minus read marks plus personal unread', async () => {
    const reader = resident({ areaId, gridId: gridA, buildingId: buildingA });
    const communityWide = eventOf(AnnouncementEvents.published, communityId, {
      announcementId: oid(),
      title: 'Water off on Saturday',
      scope: AnnouncementScope.Community,
      targetIds: [],
      publishAt: new Date().toISOString(),
      pinned: false,
    });
    const cancelled = eventOf(ActivitiesEvents.registrationCancelled, communityId, {
      registrationId: oid(),
      activityId: oid(),
      personId: reader.personId!,
      headcount: 1,
    });
    await publish(nats, communityWide);
    await publish(nats, cancelled);
    await settled(nats);
    const before = await inbox().unreadCount(reader);
    expect(before.unread).toBeGreaterThanOrEqual(2);

    await inbox().markRead(reader, communityWide.id);
    await inbox().markRead(reader, communityWide.id);
    expect(await inbox().unreadCount(reader)).toEqual({ unread: before.unread - 1 });
    const page = await inbox().list(reader, { limit: 200 });
    expect(page.items.find((n) => n.id === communityWide.id)).toMatchObject({ read: true });
    // Unread come first.
    const reads = page.items.map((n) => n.read);
    expect(reads).toEqual([...reads].sort((a, b) => Number(a) - Number(b)));

    expect(await inbox().markAllRead(reader)).toMatchObject({ unread: 0 });
    expect(await inbox().unreadCount(reader)).toEqual({ unread: 0 });
    // The other resident of the building has read nothing.
    expect((await inbox().unreadCount(resident({ areaId, gridId: gridA, buildingId: buildingA }))).unread).toBeGreaterThan(0);
  });

  it('writes in the language the person chose', async () => {
    const person = resident();
    await app.get(PreferencesService).set(person, { language: NoticeLanguage.English });
    const event = eventOf(ActivitiesEvents.registrationPromoted, communityId, {
      registrationId: oid(),
      activityId: oid(),
      personId: person.personId!,
      headcount: 1,
    });
    await publish(nats, event);
    await settled(nats);
    const [notice] = (await inbox().list(person, {})).items;
    expect(notice).toMatchObject({ title: 'You got a place', kind: NoticeKind.RegistrationPromoted });
  });

  it('tells the reporter when the case is assigned and resolved, and community staff when it is escalated', async () => {
    const reporter = resident();
    const caseId = oid();
    const staff: Principal = { sub: 'acct-staff', name: 'Staff', roles: [Role.CommunityStaff], communityIds: [communityId] };
    await publish(
      nats,
      eventOf(GridEvents.caseFiled, communityId, {
        caseId,
        category: 'noise',
        urgency: 'normal',
        buildingId: buildingA,
        gridId: gridA,
        reporterPersonId: reporter.personId,
        dueAt: new Date().toISOString(),
      }),
    );
    await settled(nats);
    await publish(
      nats,
      eventOf(GridEvents.caseAssigned, communityId, { caseId, gridId: gridA, assigneeKind: 'grid_staff', assigneeName: 'Zhao Lei' }),
    );
    await publish(
      nats,
      eventOf(GridEvents.caseResolved, communityId, { caseId, category: 'noise', gridId: gridA, resolvedAt: new Date().toISOString() }),
    );
    const escalated = eventOf(GridEvents.caseEscalated, communityId, {
      caseId,
      gridId: gridA,
      areaId,
      level: 'community',
      dueAt: new Date().toISOString(),
    });
    await publish(nats, escalated);
    await settled(nats);
    const personal = (await inbox().list(reporter, {})).items.filter((n) => n.addressedTo === 'personal');
    const kinds = personal.map((n) => n.kind).sort();
    expect(kinds).toEqual([NoticeKind.CaseAssigned, NoticeKind.CaseResolved].sort());
    expect(personal.map((n) => n.body)).toContain('您反映的“噪音”问题已交由Zhao Lei处理。');
    const staffInbox = await inbox().list(staff, {});
    expect(staffInbox.items.map((n) => n.id)).toContain(escalated.id);
    expect((await inbox().list(reporter, {})).items.map((n) => n.id)).not.toContain(escalated.id);
  });

  it('publishes a stored notice live on the person subject', async () => {
    const person = resident();
    const received: unknown[] = [];
    const subscription = nats.nc.subscribe(NotificationSubjects.person(person.personId!), {
      callback: (_e, m) => received.push(JSONCodec().decode(m.data)),
    });
    await nats.nc.flush();
    const event = eventOf(ActivitiesEvents.registrationWaitlisted, communityId, {
      registrationId: oid(),
      activityId: oid(),
      personId: person.personId!,
      headcount: 1,
      queuePosition: 3,
    });
    await publish(nats, event);
    await eventually(async () => received.length > 0);
    subscription.unsubscribe();
    expect(received[0]).toMatchObject({
      notice: { id: `${event.id}:${person.personId}`, kind: NoticeKind.RegistrationWaitlisted },
      texts: { en: { title: 'You are on the waiting list' } },
    });
  });

  it('pages the inbox with limit and cursor without repeats', async () => {
    const person = resident();
    const events = Array.from({ length: 7 }, () =>
      eventOf(ActivitiesEvents.registrationConfirmed, communityId, {
        registrationId: oid(),
        activityId: oid(),
        personId: person.personId!,
        headcount: 1,
      }),
    );
    for (const e of events) await publish(nats, e);
    await settled(nats);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await inbox().list(person, { limit: 3, cursor });
      // The community-wide notice of an earlier test reaches this resident too.
      seen.push(...page.items.filter((n) => n.addressedTo === 'personal').map((n) => n.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(events.map((e) => `${e.id}:${person.personId}`).sort());
  });
});
