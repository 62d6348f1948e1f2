import {
  AnnouncementEvents,
  AnnouncementPublishedData,
  DOMAIN_EVENTS_STREAM,
  ErrorCode,
  EventEnvelope,
} from '@cg/contracts';
import { eventually } from '@cg/testing';
import { JSONCodec, connect } from 'nats';
import { AnnouncementsService } from '../../apps/activities/src/announcements/announcements.service';
import { CommunityFixture, buildCommunity } from '../../apps/activities/test/community-fixture';
import { TestSystem } from './support/system';

const MINUTE = 60_000;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

describe('announcements through the gateway', () => {
  const system = new TestSystem();
  let k: CommunityFixture;
  let areaId: string;

  beforeAll(async () => {
    await system.start();
    // Residents 0 and 2 live in building 0 (grid 0); residents 1 and 3 in building 1 (grid 1).
    k = await buildCommunity(system.baseUrl, system.id, 4);
    areaId = (await k.admin.get(`${k.base}/hierarchy`)).body.areas[0].id;
  });

  afterAll(async () => {
    await system.stop();
  });

  const post = async (body: Record<string, unknown>) => {
    const res = await k.admin.post(`${k.base}/announcements`, {
      title: 'Notice',
      body: 'Details',
      audience: { scope: 'community' },
      ...body,
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; state: string };
  };
  const feedIds = async (i: number) => {
    const res = await k.residents[i].api.get(`${k.base}/announcements/feed?limit=200`);
    expect(res.status).toBe(200);
    return (res.body.items as { id: string }[]).map((a) => a.id);
  };

  it('shows a notice to one building only to the residents of that building', async () => {
    const notice = await post({
      title: 'Lift maintenance in building 2',
      audience: { scope: 'buildings', buildingIds: [k.buildingIds[1]] },
    });
    expect(await feedIds(1)).toContain(notice.id);
    expect(await feedIds(3)).toContain(notice.id);
    expect(await feedIds(0)).not.toContain(notice.id);
    expect(await feedIds(2)).not.toContain(notice.id);
    expect((await k.residents[0].api.get(`${k.base}/announcements/${notice.id}`)).status).toBe(404);
    expect((await k.residents[0].api.post(`${k.base}/announcements/${notice.id}/read`)).status).toBe(404);
    expect((await k.residents[1].api.get(`${k.base}/announcements/${notice.id}`)).body).toMatchObject({
      id: notice.id,
      state: 'live',
    });
  });

  it('reaches a grid, an area and the whole community by the residence of each reader', async () => {
    const grid = await post({ audience: { scope: 'grids', gridIds: [k.gridIds[0]] } });
    const area = await post({ audience: { scope: 'areas', areaIds: [areaId] } });
    const everyone = await post({ audience: { scope: 'community' } });
    const zero = await feedIds(0);
    const one = await feedIds(1);
    expect(zero).toEqual(expect.arrayContaining([grid.id, area.id, everyone.id]));
    expect(one).toEqual(expect.arrayContaining([area.id, everyone.id]));
    expect(one).not.toContain(grid.id);
  });

  it('refuses an audience naming a building of another community', async () => {
    const other = await buildCommunity(system.baseUrl, `${system.id}x`, 0);
    const res = await k.admin.post(`${k.base}/announcements`, {
      title: 'Wrong place',
      body: 'x',
      audience: { scope: 'buildings', buildingIds: [other.buildingIds[0]] },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect((await k.residents[0].api.get(`${other.base}/announcements/feed`)).status).toBe(403);
  });

  it('hides a scheduled notice until its publish time, then publishes its event', async () => {
    const scheduled = await post({ title: 'Lawn music festival on Saturday', publishAt: at(2500) });
    expect(scheduled.state).toBe('scheduled');
    expect(await feedIds(0)).not.toContain(scheduled.id);
    expect((await k.residents[0].api.get(`${k.base}/announcements/${scheduled.id}`)).status).toBe(404);
    const staff = await k.admin.get(`${k.base}/announcements?state=scheduled`);
    expect(staff.body.items.map((a: { id: string }) => a.id)).toContain(scheduled.id);

    await eventually(async () => (await feedIds(0)).includes(scheduled.id));
    await system.activities!.get(AnnouncementsService).publishDue(new Date());
    const nats = await connect({ servers: process.env.NATS_URL });
    try {
      const jsm = await nats.jetstreamManager();
      const codec = JSONCodec<EventEnvelope<AnnouncementPublishedData>>();
      const event = await eventually(async () => {
        const message = await jsm.streams.getMessage(DOMAIN_EVENTS_STREAM, {
          last_by_subj: AnnouncementEvents.published.type,
        });
        const envelope = codec.decode(message.data);
        return envelope.data.announcementId === scheduled.id && envelope;
      });
      expect(event).toMatchObject({
        communityId: k.communityId,
        data: { title: 'Lawn music festival on Saturday', scope: 'community' },
      });
    } finally {
      await nats.close();
    }
  });

  it('hides an expired notice from feeds and shows it to staff as expired', async () => {
    const expired = await post({
      title: 'Last week',
      publishAt: at(-120 * MINUTE),
      expiresAt: at(-60 * MINUTE),
    });
    expect(expired.state).toBe('expired');
    const expiring = await post({ title: 'Until shortly', expiresAt: at(2500) });
    expect(await feedIds(2)).toContain(expiring.id);
    expect(await feedIds(2)).not.toContain(expired.id);
    await eventually(async () => !(await feedIds(2)).includes(expiring.id));
    const staff = await k.admin.get(`${k.base}/announcements?state=expired`);
    expect(staff.body.items.map((a: { id: string }) => a.id)).toEqual(
      expect.arrayContaining([expired.id, expiring.id]),
    );
    const bad = await k.admin.post(`${k.base}/announcements`, {
      title: 't',
      body: 'b',
      audience: { scope: 'community' },
      publishAt: at(MINUTE),
      expiresAt: at(0),
    });
    expect(bad.status).toBe(400);
  });

  it('orders a feed pinned first, then newest, across pages', async () => {
    const k2 = await buildCommunity(system.baseUrl, `${system.id}p`, 1);
    const postIn = async (body: Record<string, unknown>) =>
      (
        await k2.admin.post(`${k2.base}/announcements`, {
          title: 'N',
          body: 'b',
          audience: { scope: 'community' },
          ...body,
        })
      ).body.id as string;
    const older = await postIn({ publishAt: at(-30 * MINUTE) });
    const newer = await postIn({ publishAt: at(-20 * MINUTE) });
    const pinnedOld = await postIn({ publishAt: at(-50 * MINUTE), pinned: true });
    const newest = await postIn({ publishAt: at(-10 * MINUTE) });
    const pinLater = await k2.admin.post(`${k2.base}/announcements/${older}/pin`, { pinned: true });
    expect(pinLater.body.pinned).toBe(true);

    const reader = k2.residents[0].api;
    const first = await reader.get(`${k2.base}/announcements/feed?limit=2`);
    const second = await reader.get(`${k2.base}/announcements/feed?limit=2&cursor=${first.body.nextCursor}`);
    const ids = [...first.body.items, ...second.body.items].map((a: { id: string }) => a.id);
    expect(ids).toEqual([older, pinnedOld, newest, newer]);
    expect(second.body.nextCursor).toBeUndefined();
    expect((await reader.get(`${k2.base}/announcements/feed?cursor=nonsense`)).status).toBe(400);
  });

  it('keeps one read receipt per person, even when the reads arrive at once, and counts reads for staff', async () => {
    const notice = await post({
      title: 'Garbage sorting month starts',
      audience: { scope: 'buildings', buildingIds: [k.buildingIds[0]] },
    });
    const reads = await Promise.all(
      [0, 1, 2].map(() => k.residents[0].api.post(`${k.base}/announcements/${notice.id}/read`)),
    );
    expect(reads.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(reads.filter((r) => r.body.firstRead)).toHaveLength(1);
    expect(new Set(reads.map((r) => r.body.readAt)).size).toBe(1);
    const again = await k.residents[0].api.post(`${k.base}/announcements/${notice.id}/read`);
    expect(again.body).toMatchObject({ firstRead: false, readAt: reads[0].body.readAt });
    await k.residents[2].api.post(`${k.base}/announcements/${notice.id}/read`);

    const feed = await k.residents[0].api.get(`${k.base}/announcements/feed?limit=200`);
    expect(feed.body.items.find((a: { id: string }) => a.id === notice.id).readAt).toBe(reads[0].body.readAt);
    const staff = await k.admin.get(`${k.base}/announcements/${notice.id}`);
    expect(staff.body.readCount).toBe(2);
    const list = await k.admin.get(`${k.base}/announcements?limit=200`);
    expect(list.body.items.find((a: { id: string }) => a.id === notice.id).readCount).toBe(2);
  });

  it('keeps residents from posting or pinning notices', async () => {
    expect(
      (
        await k.residents[0].api.post(`${k.base}/announcements`, {
          title: 't',
          body: 'b',
          audience: { scope: 'community' },
        })
      ).status,
    ).toBe(403);
    expect((await k.residents[0].api.get(`${k.base}/announcements`)).status).toBe(403);
  });
});
