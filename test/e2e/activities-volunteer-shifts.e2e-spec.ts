import { ActivitiesEvents, DOMAIN_EVENTS_STREAM, ErrorCode, EventEnvelope, ShiftCompletedData } from '@cg/contracts';
import { eventually } from '@cg/testing';
import { JSONCodec, connect } from 'nats';
import { CommunityFixture, buildCommunity } from '../../apps/activities/test/community-fixture';
import { TestSystem } from './support/system';

describe('volunteer shifts through the gateway', () => {
  const system = new TestSystem();
  let k: CommunityFixture;

  beforeAll(async () => {
    await system.start();
    k = await buildCommunity(system.baseUrl, system.id, 4);
  });

  afterAll(async () => {
    await system.stop();
  });

  const newShift = async (headcount: number, startsInMs = 24 * 3600_000) => {
    const start = Date.now() + startsInMs;
    const res = await k.admin.post(`${k.base}/volunteer-shifts`, {
      source: { kind: 'school_project', id: 'safety-watch-2025', title: 'School gate safety watch' },
      role: 'Crossing guard',
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(start + 90 * 60_000).toISOString(),
      headcount,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ hours: '1.50', slotsLeft: headcount });
    return `${k.base}/volunteer-shifts/${res.body.id}`;
  };

  it('fills the head-count with exactly as many volunteers as needed when they sign up at once', async () => {
    const shift = await newShift(2);
    const results = await Promise.all(k.residents.map((r) => r.api.post(`${shift}/sign-ups`)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(results.filter((r) => r.status === 409 && r.body.code === ErrorCode.ALREADY_TAKEN)).toHaveLength(2);
    const list = await k.admin.get(`${k.base}/volunteer-shifts?sourceId=safety-watch-2025`);
    expect(list.body.items.find((s: { id: string }) => shift.endsWith(s.id)).slotsLeft).toBe(0);
  });

  it('refuses a second sign-up by the same person', async () => {
    const shift = await newShift(3);
    expect((await k.residents[0].api.post(`${shift}/sign-ups`)).status).toBe(201);
    const again = await k.residents[0].api.post(`${shift}/sign-ups`);
    expect(again.body.code).toBe(ErrorCode.DUPLICATE);
  });

  it('publishes shift completed with decimal hours once, after staff confirm and complete', async () => {
    const startsAt = Date.now() + 2000;
    const shift = await newShift(1, startsAt - Date.now());
    const signUp = await k.residents[1].api.post(`${shift}/sign-ups`);
    const early = await k.admin.post(`${shift}/sign-ups/${signUp.body.id}/complete`, {});
    expect(early.status).toBe(409);
    expect((await k.admin.post(`${shift}/sign-ups/${signUp.body.id}/confirm`)).body.status).toBe('confirmed');
    const beforeStart = await k.admin.post(`${shift}/sign-ups/${signUp.body.id}/complete`, {});
    expect(beforeStart.status).toBe(409);
    expect(beforeStart.body.code).toBe(ErrorCode.OUTSIDE_WINDOW);
    await new Promise((resolve) => setTimeout(resolve, startsAt - Date.now() + 10));
    const [a, b] = await Promise.all([
      k.admin.post(`${shift}/sign-ups/${signUp.body.id}/complete`, { hours: '2.25' }),
      k.admin.post(`${shift}/sign-ups/${signUp.body.id}/complete`, { hours: '2.25' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const done = a.status === 200 ? a : b;
    expect(done.body).toMatchObject({ status: 'completed', hours: '2.25' });

    const nats = await connect({ servers: process.env.NATS_URL });
    try {
      const jsm = await nats.jetstreamManager();
      const codec = JSONCodec<EventEnvelope<ShiftCompletedData>>();
      const event = await eventually(async () => {
        const message = await jsm.streams.getMessage(DOMAIN_EVENTS_STREAM, { last_by_subj: ActivitiesEvents.shiftCompleted.type });
        const envelope = codec.decode(message.data);
        return envelope.data.signUpId === signUp.body.id && envelope;
      });
      expect(event.data).toMatchObject({ personId: k.residents[1].personId, hours: '2.25', sourceId: 'safety-watch-2025' });
    } finally {
      await nats.close();
    }
  });

  it('keeps residents from organising shifts', async () => {
    const res = await k.residents[0].api.post(`${k.base}/volunteer-shifts`, {});
    expect(res.status).toBe(403);
  });
});
