import { TestMailpit, eventually, startMailpit } from '@cg/testing';
import { CommunityFixture, buildCommunity, openActivity } from '../../apps/activities/test/community-fixture';
import { TestSystem } from './support/system';

const hhmm = (at: Date) => at.toISOString().slice(11, 16);

describe('notices from case and activity events, and e-mail as chosen, through the gateway', () => {
  const system = new TestSystem();
  let k: CommunityFixture;
  let mailpit: TestMailpit;
  const inbox = '/api/v1/me/notifications';
  const noticeFor = async (i: number, match: (n: any) => boolean) =>
    eventually(async () => {
      const res = await k.residents[i].api.get(`${inbox}?limit=200`);
      expect(res.status).toBe(200);
      return (res.body.items as any[]).find(match);
    });

  beforeAll(async () => {
    mailpit = await startMailpit();
    process.env.NOTIFICATIONS_SMTP_URL = mailpit.smtpUrl;
    process.env.NOTIFICATIONS_DELIVERY_POLL_MS = '200';
    await system.start();
    k = await buildCommunity(system.baseUrl, system.id, 4);
  });

  afterAll(async () => {
    delete process.env.NOTIFICATIONS_SMTP_URL;
    delete process.env.NOTIFICATIONS_DELIVERY_POLL_MS;
    await system.stop();
    await mailpit?.stop();
  });

  it('tells the reporter their case is resolved, in their inbox', async () => {
    const reporter = k.residents[0];
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
    expect((await k.admin.post(`${url}/assign`, { assigneeKind: 'building_leader', assigneeName: 'Sun Li' })).status).toBe(200);
    expect((await k.admin.post(`${url}/start`, {})).status).toBe(200);
    expect((await k.admin.post(`${url}/resolve`, { note: 'Agreed quiet hours' })).status).toBe(200);
    const notice = await noticeFor(0, (n) => n.kind === 'case.resolved');
    expect(notice).toMatchObject({
      title: '您反映的问题已处理完毕',
      addressedTo: 'personal',
      read: false,
      link: { kind: 'case', id: filed.body.id },
    });
  });

  it('cancels every registration with the activity, and tells every registrant', async () => {
    const created = await k.admin.post(`${k.base}/activities`, openActivity({ title: 'Riverside walk', capacity: 2 }));
    expect(created.status).toBe(201);
    const activity = `${k.base}/activities/${created.body.id}`;
    expect((await k.admin.post(`${activity}/publish`)).status).toBe(200);
    // Two take the places, the third waits.
    for (const r of k.residents.slice(0, 3)) expect((await r.api.post(`${activity}/registrations`, {})).status).toBe(201);
    const cancelled = await k.admin.post(`${activity}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');

    const registrations = await k.admin.get(`${activity}/registrations?limit=50`);
    expect(registrations.status).toBe(200);
    expect(registrations.body.items).toHaveLength(3);
    expect(registrations.body.items.map((r: any) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    for (const i of [0, 1, 2]) {
      const notice = await noticeFor(i, (n) => n.kind === 'activity.cancelled' && n.link?.id === created.body.id);
      expect(notice).toMatchObject({ title: '活动已取消', body: '很抱歉，“Riverside walk”已取消，您的报名随之取消。' });
    }
    expect((await k.residents[3].api.get(`${inbox}?limit=200`)).body.items.some((n: any) => n.kind === 'activity.cancelled')).toBe(false);
    expect((await k.residents[3].api.post(`${activity}/registrations`, {})).status).toBe(409);
  });

  it('leaves no live registration behind when people register while the activity is cancelled', async () => {
    const created = await k.admin.post(`${k.base}/activities`, openActivity({ title: 'Chess afternoon', capacity: 2 }));
    const activity = `${k.base}/activities/${created.body.id}`;
    expect((await k.admin.post(`${activity}/publish`)).status).toBe(200);
    const [cancelled, ...registered] = await Promise.all([
      k.admin.post(`${activity}/cancel`),
      ...k.residents.map((r) => r.api.post(`${activity}/registrations`, {})),
    ]);
    expect(cancelled.status).toBe(200);
    for (const res of registered) expect([201, 409]).toContain(res.status);
    const registrations = await k.admin.get(`${activity}/registrations?limit=50`);
    expect(registrations.body.items.filter((r: any) => r.status !== 'cancelled')).toEqual([]);
    const took = registered.filter((res) => res.status === 201).length;
    expect(registrations.body.items).toHaveLength(took);
  });

  it('e-mails a person with e-mail on, and not one with it off or inside quiet hours', async () => {
    const [on, off, quiet] = k.residents.slice(0, 3);
    const now = new Date();
    const set = async (api: typeof on.api, body: Record<string, unknown>) => {
      const res = await api.put(`${inbox}/preferences`, body);
      expect(res.status).toBe(200);
      return res.body;
    };
    expect(await set(on.api, { language: 'en', email: 'on@example.org', channels: { email: { enabled: true } } })).toMatchObject({
      language: 'en',
      email: 'on@example.org',
      channels: { email: { enabled: true, mutedKinds: [] }, sms: { enabled: false } },
      digest: { enabled: false, at: '20:00' },
    });
    await set(off.api, { email: 'off@example.org', channels: { email: { enabled: false } } });
    await set(quiet.api, {
      email: 'quiet@example.org',
      channels: { email: { enabled: true } },
      timeZone: 'UTC',
      quietHours: { start: hhmm(new Date(now.getTime() - 3600_000)), end: hhmm(new Date(now.getTime() + 3600_000)) },
    });
    expect((await on.api.put(`${inbox}/preferences`, { quietHours: { start: '25:00', end: '07:00' } })).status).toBe(400);
    expect((await on.api.put(`${inbox}/preferences`, { timeZone: 'Mars/Olympus' })).status).toBe(400);

    const res = await k.admin.post(`${k.base}/announcements`, { title: 'Water off on Saturday', body: 'The pump is replaced.', audience: { scope: 'community' } });
    expect(res.status).toBe(201);
    const mail = await eventually(async () => {
      const found = await mailpit.messages('on@example.org');
      return found.length > 0 && found;
    });
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ Subject: 'Community notice', Snippet: 'Water off on Saturday' });
    for (const i of [1, 2]) await noticeFor(i, (n) => n.link?.id === res.body.id);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await mailpit.messages('off@example.org')).toEqual([]);
    expect(await mailpit.messages('quiet@example.org')).toEqual([]);
  });
});
