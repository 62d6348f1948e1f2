import {
  CaseCategory,
  CaseLocationKind,
  CaseRating,
  CaseStatus,
  CaseUrgency,
  DOMAIN_EVENTS_STREAM,
  ErrorCode,
  EventEnvelope,
  PropertyServiceEvents,
  ServiceRequestResolvedData,
} from '@cg/contracts';
import { eventually } from '@cg/testing';
import { JSONCodec, connect } from 'nats';
import { setTimeout as sleep } from 'node:timers/promises';
import { CommunityFixture, buildCommunity, openActivity } from '../../apps/activities/test/community-fixture';
import { TestSystem } from './support/system';

describe('time rules and cascades across services through the gateway', () => {
  const system = new TestSystem();
  let k: CommunityFixture;

  const publishActivity = async (overrides: Record<string, unknown> = {}) => {
    const created = await k.admin.post(`${k.base}/activities`, openActivity(overrides));
    expect(created.status).toBe(201);
    expect((await k.admin.post(`${k.base}/activities/${created.body.id}/publish`)).status).toBe(200);
    return `${k.base}/activities/${created.body.id}`;
  };

  const hoursOf = async (personId: string) => (await k.admin.get(`${k.base}/volunteers/${personId}/hours`)).body;

  beforeAll(async () => {
    await system.start();
    k = await buildCommunity(system.baseUrl, system.id, 3);
  });

  afterAll(async () => {
    await system.stop();
  });

  it('refuses a check-in days before the activity and changes nothing, and takes it once the window opens', async () => {
    const early = await publishActivity({ capacity: 5 });
    const registration = await k.residents[0].api.post(`${early}/registrations`, {});
    expect(registration.body.status).toBe('confirmed');
    const refused = await k.admin.post(`${early}/check-ins`, { code: registration.body.checkInCode });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe(ErrorCode.OUTSIDE_WINDOW);
    const mine = await k.residents[0].api.get(`${early}/registrations/mine`);
    expect(mine.body.checkedInAt).toBeUndefined();
    expect((await k.admin.get(`${early}/attendance`)).body.checkedInRegistrations).toBe(0);

    const now = Date.now();
    const soon = await publishActivity({
      capacity: 5,
      startsAt: new Date(now + 20 * 60_000).toISOString(),
      endsAt: new Date(now + 2 * 3600_000).toISOString(),
      registrationClosesAt: new Date(now + 3600_000).toISOString(),
    });
    const onTime = await k.residents[0].api.post(`${soon}/registrations`, {});
    const scan = await k.admin.post(`${soon}/check-ins`, { code: onTime.body.checkInCode });
    expect(scan.status).toBe(200);
    expect(scan.body.checkedInAt).toBeDefined();
  });

  it("credits the handler's hours once when the case closes satisfied, and nothing while it is sent back", async () => {
    const handler = k.residents[1];
    const filed = await k.residents[0].api.post(`${k.base}/cases`, {
      category: CaseCategory.Noise,
      urgency: CaseUrgency.Normal,
      description: 'Drilling in the stairwell every evening',
      locationKind: CaseLocationKind.Building,
      locationId: k.buildingIds[0],
    });
    expect(filed.status).toBe(201);
    const url = `${k.base}/cases/${filed.body.id}`;
    const handle = async () => {
      expect((await k.admin.post(`${url}/assign`, { assigneeKind: 'volunteer', assigneeName: handler.name, assigneePersonId: handler.personId })).status).toBe(200);
      expect((await k.admin.post(`${url}/start`, {})).status).toBe(200);
      expect((await k.admin.post(`${url}/resolve`, { note: 'Agreed quiet hours' })).body.status).toBe(CaseStatus.Resolved);
    };
    expect((await k.admin.post(`${url}/accept`, {})).status).toBe(200);
    await handle();
    const reopened = await k.residents[0].api.post(`${url}/rate`, { rating: CaseRating.Dissatisfied });
    expect(reopened.body.status).toBe(CaseStatus.Accepted);
    await sleep(500);
    expect((await hoursOf(handler.personId)).items).toHaveLength(0);
    await handle();
    const closed = await k.residents[0].api.post(`${url}/rate`, { rating: CaseRating.Satisfied });
    expect(closed.body.status).toBe(CaseStatus.Closed);
    const credited = await eventually(async () => {
      const hours = await hoursOf(handler.personId);
      return hours.items?.length > 0 && hours;
    });
    // Two resolutions and one reopening later, the one satisfied close is the one credit.
    await sleep(500);
    const after = await hoursOf(handler.personId);
    expect(after.items).toHaveLength(1);
    expect(credited.items[0]).toMatchObject({ source: 'case', sourceId: filed.body.id, hours: '1.00' });
  });

  it("credits nothing for a case closed dissatisfied after its one reopening", async () => {
    const handler = k.residents[2];
    const filed = await k.residents[0].api.post(`${k.base}/cases`, {
      category: CaseCategory.Noise,
      urgency: CaseUrgency.Normal,
      description: 'Music from the shop downstairs late at night',
      locationKind: CaseLocationKind.Building,
      locationId: k.buildingIds[0],
    });
    const url = `${k.base}/cases/${filed.body.id}`;
    expect((await k.admin.post(`${url}/accept`, {})).status).toBe(200);
    for (const rating of [CaseRating.Dissatisfied, CaseRating.Dissatisfied]) {
      await k.admin.post(`${url}/assign`, { assigneeKind: 'volunteer', assigneeName: handler.name, assigneePersonId: handler.personId });
      await k.admin.post(`${url}/start`, {});
      expect((await k.admin.post(`${url}/resolve`, {})).body.status).toBe(CaseStatus.Resolved);
      await k.residents[0].api.post(`${url}/rate`, { rating });
    }
    expect((await k.admin.get(url)).body.status).toBe(CaseStatus.Closed);
    await sleep(1000);
    expect((await hoursOf(handler.personId)).items).toHaveLength(0);
  });

  it('moves the linked case to resolved when the company resolves its service request, once, and lets the reporter close it', async () => {
    const filed = await k.residents[0].api.post(`${k.base}/cases`, {
      category: CaseCategory.PropertyMaintenance,
      urgency: CaseUrgency.Normal,
      description: 'The lift of building 1 stops between floors',
      locationKind: CaseLocationKind.Building,
      locationId: k.buildingIds[0],
    });
    expect(filed.status).toBe(201);
    const caseUrl = `${k.base}/cases/${filed.body.id}`;
    const request = await eventually(async () => {
      const list = await k.admin.get(`${k.base}/service-requests`);
      return list.body.items?.find((r: { caseId?: string }) => r.caseId === filed.body.id);
    });
    const requestUrl = `${k.base}/service-requests/${request.id}`;
    expect((await k.admin.post(`${requestUrl}/steps`, { action: 'accept', handler: 'Wang, lift engineer' })).status).toBe(200);
    expect((await k.admin.post(`${requestUrl}/steps`, { action: 'resolve', note: 'Replaced the door sensor' })).status).toBe(200);
    const resolved = await eventually(async () => {
      const view = await k.admin.get(caseUrl);
      return view.body.status === CaseStatus.Resolved && view.body;
    });

    // The same event delivered again moves nothing.
    const nats = await connect({ servers: process.env.NATS_URL });
    try {
      const jsm = await nats.jetstreamManager();
      const codec = JSONCodec<EventEnvelope<ServiceRequestResolvedData>>();
      const message = await eventually(async () => {
        const last = await jsm.streams.getMessage(DOMAIN_EVENTS_STREAM, { last_by_subj: PropertyServiceEvents.serviceRequestResolved.type });
        const envelope = codec.decode(last.data);
        return envelope.data.caseId === filed.body.id && envelope;
      });
      expect(message.data).toMatchObject({ requestId: request.id, handler: 'Wang, lift engineer' });
      const js = nats.jetstream();
      await js.publish(message.type, codec.encode(message), { msgID: `${message.id}-again` });
    } finally {
      await nats.close();
    }
    await sleep(1000);
    const after = await k.admin.get(caseUrl);
    expect(after.body).toMatchObject({ status: CaseStatus.Resolved, version: resolved.version });

    const closed = await k.residents[0].api.post(`${caseUrl}/rate`, { rating: CaseRating.Satisfied });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe(CaseStatus.Closed);
  });
});
