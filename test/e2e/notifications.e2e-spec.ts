import { eventually } from '@cg/testing';
import { CommunityFixture, buildCommunity } from '../../apps/activities/test/community-fixture';
import { TestSystem } from './support/system';

interface StreamEvent {
  id?: string;
  data: any;
}

/** A Server-Sent Events reader over fetch: collects the events as they arrive until closed. */
async function openStream(url: string, token: string, lastEventId?: string) {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, ...(lastEventId && { 'last-event-id': lastEventId }) },
    signal: abort.signal,
  });
  const events: StreamEvent[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((line) => line && !line.startsWith(':'))
              .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trimStart()]),
          );
          if (fields.data) events.push({ id: fields.id, data: JSON.parse(fields.data) });
        }
      }
    } catch {
      /* aborted */
    }
  })();
  return {
    response,
    events,
    close: async () => {
      abort.abort();
      await pump;
    },
  };
}

describe('notifications through the gateway', () => {
  const system = new TestSystem();
  let k: CommunityFixture;
  const inbox = '/api/v1/me/notifications';

  beforeAll(async () => {
    await system.start();
    // Residents 0 and 2 live in building 0 (grid 0); resident 1 in building 1 (grid 1).
    k = await buildCommunity(system.baseUrl, system.id, 3);
  });

  afterAll(async () => {
    await system.stop();
  });

  const announce = async (title: string, audience: Record<string, unknown>) => {
    const res = await k.admin.post(`${k.base}/announcements`, { title, body: 'Details', audience });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const noticeFor = async (i: number, match: (n: any) => boolean) =>
    eventually(async () => {
      const res = await k.residents[i].api.get(`${inbox}?limit=200`);
      expect(res.status).toBe(200);
      return (res.body.items as any[]).find(match);
    });

  it('tells the resident their case was signed for and is being handled; unread 1, then 0 once read', async () => {
    const resident = k.residents[0];
    const filed = await resident.api.post(`${k.base}/cases`, {
      category: 'noise',
      urgency: 'normal',
      description: 'Drilling every night after 22:00',
      locationKind: 'building',
      locationId: k.buildingIds[0],
    });
    expect(filed.status).toBe(201);
    const url = `${k.base}/cases/${filed.body.id}`;
    expect((await k.admin.post(`${url}/accept`, {})).status).toBe(200);
    const signedFor = await noticeFor(0, (n) => n.kind === 'case.accepted');
    expect(signedFor).toMatchObject({
      title: '您反映的问题已被签收',
      body: '网格已签收您反映的“噪音”问题，正在安排处理。',
      read: false,
      link: { kind: 'case', id: filed.body.id },
    });
    expect((await resident.api.get(`${inbox}/unread-count`)).body).toEqual({ unread: 1 });
    expect((await resident.api.post(`${inbox}/${encodeURIComponent(signedFor.id)}/read`)).status).toBe(200);
    expect((await k.admin.post(`${url}/assign`, { assigneeKind: 'building_leader', assigneeName: 'Sun Li' })).status).toBe(200);

    const notice = await noticeFor(0, (n) => n.kind === 'case.assigned');
    expect(notice).toMatchObject({
      title: '您反映的问题正在处理',
      body: '您反映的“噪音”问题已交由Sun Li处理。',
      read: false,
      addressedTo: 'personal',
      link: { kind: 'case', id: filed.body.id },
    });
    expect((await resident.api.get(`${inbox}/unread-count`)).body).toEqual({ unread: 1 });

    const read = await resident.api.post(`${inbox}/${encodeURIComponent(notice.id)}/read`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: notice.id, read: true });
    expect((await resident.api.post(`${inbox}/${encodeURIComponent(notice.id)}/read`)).status).toBe(200);
    expect((await resident.api.get(`${inbox}/unread-count`)).body).toEqual({ unread: 0 });

    // Another resident cannot mark it, and sees nothing of it.
    expect((await k.residents[1].api.post(`${inbox}/${encodeURIComponent(notice.id)}/read`)).status).toBe(404);
    expect((await k.residents[1].api.post(`${inbox}/not%20an%20id/read`)).status).toBe(400);

    const english = await resident.api.put(`${inbox}/preferences`, { language: 'en' });
    expect(english.body).toMatchObject({ language: 'en', channels: { email: { enabled: false } } });
    const again = await resident.api.get(`${inbox}?limit=10`);
    expect(again.body.items.find((n: any) => n.id === notice.id)).toMatchObject({ title: 'Your case is being handled', read: true });
    await resident.api.put(`${inbox}/preferences`, { language: 'zh-CN' });
  });

  it('brings an announcement to a building to its residents and not to those of another building', async () => {
    const announcementId = await announce('Lift maintenance on Friday', { scope: 'buildings', buildingIds: [k.buildingIds[1]] });
    const notice = await noticeFor(1, (n) => n.link?.id === announcementId);
    expect(notice).toMatchObject({ kind: 'announcement.published', addressedTo: 'audience', body: 'Lift maintenance on Friday', read: false });
    const other = await k.residents[0].api.get(`${inbox}?limit=200`);
    expect(other.body.items.map((n: any) => n.link?.id)).not.toContain(announcementId);
    expect((await k.residents[0].api.post(`${inbox}/${encodeURIComponent(notice.id)}/read`)).status).toBe(404);

    const all = await k.residents[1].api.post(`${inbox}/read-all`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ unread: 0 });
    expect((await k.residents[1].api.get(`${inbox}/unread-count`)).body).toEqual({ unread: 0 });
  });

  it('streams a notice as it is stored, and resumes after Last-Event-ID', async () => {
    const resident = k.residents[2];
    const token = await tokenOf(2);
    // The inbox knows where the resident lives before the stream opens.
    await eventually(async () => (await resident.api.get(`${inbox}/unread-count`)).status === 200);
    const url = `${system.baseUrl}${inbox}/stream`;
    const stream = await openStream(url, token);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const firstId = await announce('Lawn music festival on Saturday', { scope: 'buildings', buildingIds: [k.buildingIds[0]] });
    const first = await eventually(async () => stream.events.find((e) => e.data.link?.id === firstId));
    expect(first.id).toBe(first.data.id);
    expect(first.data).toMatchObject({ kind: 'announcement.published', body: 'Lawn music festival on Saturday', read: false });
    await stream.close();

    // While the resident is away, two more notices are stored.
    const missed = [await announce('Water off on Sunday', { scope: 'community' }), await announce('Garbage sorting day', { scope: 'grids', gridIds: [k.gridIds[0]] })];
    await noticeFor(2, (n) => n.link?.id === missed[1]);
    const resumed = await openStream(url, token, first.id);
    const replayed = await eventually(async () => {
      const ids = resumed.events.map((e) => e.data.link?.id);
      return missed.every((id) => ids.includes(id)) && ids;
    });
    expect(replayed).not.toContain(firstId);
    const live = await announce('Tug-of-war final', { scope: 'community' });
    await eventually(async () => resumed.events.some((e) => e.data.link?.id === live));
    expect(resumed.events.filter((e) => e.data.link?.id === live)).toHaveLength(1);
    await resumed.close();

    expect((await fetch(url, { headers: { 'last-event-id': 'bad id!' , authorization: `Bearer ${token}` } })).status).toBe(400);
    expect((await fetch(url)).status).toBe(401);
  });

  async function tokenOf(i: number): Promise<string> {
    const login = await fetch(`${system.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: `r${i}.${system.id}`, password: 'resident-password' }),
    });
    return ((await login.json()) as { accessToken: string }).accessToken;
  }
});
