import { ActivitiesEvents, DOMAIN_EVENTS_STREAM, ErrorCode, EventEnvelope, MicroWishFulfilledData } from '@cg/contracts';
import { eventually } from '@cg/testing';
import { JSONCodec, NatsConnection, connect } from 'nats';
import { MicroWishesService } from '../../apps/activities/src/micro-wishes/micro-wishes.service';
import { Client, CommunityFixture, buildCommunity } from '../../apps/activities/test/community-fixture';
import { TestSystem, client } from './support/system';

describe('micro-wishes through the gateway', () => {
  const system = new TestSystem();
  let k: CommunityFixture;
  let partyMembers: Client[];
  let nats: NatsConnection;

  const wish = (what: string, category = 'daily_needs') => ({ what, why: 'Starts school in September', neededBy: '2030-08-25', category });

  const postApproved = async (what: string, poster = 0, category?: string) => {
    const posted = await eventually(async () => {
      const r = await k.residents[poster].api.post(`${k.base}/micro-wishes`, wish(what, category));
      return r.status === 201 && r;
    });
    const approved = await k.admin.post(`${k.base}/micro-wishes/${posted.body.id}/review`, { decision: 'approve' });
    expect(approved.body.status).toBe('approved');
    return `${k.base}/micro-wishes/${posted.body.id}`;
  };

  beforeAll(async () => {
    await system.start();
    k = await buildCommunity(system.baseUrl, system.id, 2);
    partyMembers = [];
    for (const n of [1, 2]) {
      const username = `party${n}.${system.id}`;
      const created = await k.admin.post('/api/v1/accounts', {
        username,
        password: 'party-member-password',
        name: `Party member ${n}`,
        roles: ['party_member'],
        communityIds: [k.communityId],
      });
      expect(created.status).toBeLessThan(300);
      const login = await client(system.baseUrl).post('/api/v1/auth/login', { username, password: 'party-member-password' });
      partyMembers.push(client(system.baseUrl, login.body.accessToken));
    }
    nats = await connect({ servers: process.env.NATS_URL });
  });

  afterAll(async () => {
    await nats?.close();
    await system.stop();
  });

  it('keeps a posted wish off the board until staff approve it, and rejects with a reason', async () => {
    const posted = await eventually(async () => {
      const r = await k.residents[0].api.post(`${k.base}/micro-wishes`, wish('A bicycle'));
      return r.status === 201 && r;
    });
    expect(posted.body).toMatchObject({ status: 'pending_review', gridId: k.gridIds[0] });
    const board = await k.residents[1].api.get(`${k.base}/micro-wishes`);
    expect(board.body.items).toEqual([]);
    const hidden = await k.residents[1].api.get(`${k.base}/micro-wishes/${posted.body.id}`);
    expect(hidden.status).toBe(404);

    const noReason = await k.admin.post(`${k.base}/micro-wishes/${posted.body.id}/review`, { decision: 'reject' });
    expect(noReason.status).toBe(400);
    const rejected = await k.admin.post(`${k.base}/micro-wishes/${posted.body.id}/review`, { decision: 'reject', reason: 'Not a small wish' });
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectionReason: 'Not a small wish' });
    expect((await k.residents[0].api.get(`${k.base}/micro-wishes/${posted.body.id}`)).body.status).toBe('rejected');
  });

  it('shows approved wishes on the board filtered by grid and category', async () => {
    await postApproved('Reading glasses', 0, 'health');
    await postApproved('Tutoring in maths', 1, 'study');
    const grid0 = await k.residents[1].api.get(`${k.base}/micro-wishes?gridId=${k.gridIds[0]}`);
    expect(grid0.body.items.map((w: { what: string }) => w.what)).toEqual(['Reading glasses']);
    expect(grid0.body.items[0].residentPersonId).toBeUndefined();
    const study = await k.residents[0].api.get(`${k.base}/micro-wishes?category=study`);
    expect(study.body.items.map((w: { what: string }) => w.what)).toEqual(['Tutoring in maths']);
  });

  it('lets exactly one of two simultaneous claimants win', async () => {
    const path = await postApproved('A school bag');
    const [first, second] = await Promise.all([
      partyMembers[0].post(`${path}/claim`, { kind: 'party_member' }),
      partyMembers[1].post(`${path}/claim`, { kind: 'party_member' }),
    ]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = first.status === 409 ? first : second;
    expect(loser.body.code).toBe(ErrorCode.ALREADY_TAKEN);
    const winner = first.status === 200 ? first : second;
    const view = await k.admin.get(path);
    expect(view.body.claimant.name).toBe(winner.body.claimant.name);
  });

  it('also settles a claim race between a party member and staff recording an enterprise', async () => {
    const path = await postApproved('A wheelchair ramp');
    const results = await Promise.all([
      partyMembers[0].post(`${path}/claim`, { kind: 'party_member' }),
      k.admin.post(`${path}/claim`, { kind: 'enterprise', organisationName: 'Kangjian Hardware Co.' }),
      partyMembers[1].post(`${path}/claim`, { kind: 'party_member' }),
    ]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.code === ErrorCode.ALREADY_TAKEN)).toHaveLength(2);
  });

  it('runs the whole lifecycle: claim, fulfil by the claimant, confirm by the resident, with events', async () => {
    const path = await postApproved('Help fixing a leaking tap');
    const wishId = path.split('/').pop();
    expect((await partyMembers[0].post(`${path}/claim`, { kind: 'party_member' })).status).toBe(200);
    const notClaimant = await partyMembers[1].post(`${path}/fulfil`, {});
    expect(notClaimant.status).toBe(403);
    const early = await k.residents[0].api.post(`${path}/confirm`, {});
    expect(early.status).toBe(409);
    expect(early.body.code).toBe(ErrorCode.INVALID_TRANSITION);
    const fulfilled = await partyMembers[0].post(`${path}/fulfil`, { note: 'New washer fitted' });
    expect(fulfilled.body).toMatchObject({ status: 'fulfilled', fulfilmentNote: 'New washer fitted' });
    const stranger = await k.residents[1].api.post(`${path}/confirm`, {});
    expect(stranger.status).toBe(403);
    const confirmed = await k.residents[0].api.post(`${path}/confirm`, { note: 'Thank you!' });
    expect(confirmed.body).toMatchObject({ status: 'confirmed', residentNote: 'Thank you!' });

    const jsm = await nats.jetstreamManager();
    const codec = JSONCodec<EventEnvelope<MicroWishFulfilledData>>();
    const event = await eventually(async () => {
      const message = await jsm.streams.getMessage(DOMAIN_EVENTS_STREAM, { last_by_subj: ActivitiesEvents.microWishFulfilled.type });
      const envelope = codec.decode(message.data);
      return envelope.data.wishId === wishId && envelope;
    });
    expect(event).toMatchObject({ communityId: k.communityId, data: { claimantKind: 'party_member', claimantName: 'Party member 1' } });
  });

  it('lets the resident dispute a fulfilment with a reason', async () => {
    const path = await postApproved('Groceries for a week');
    await k.admin.post(`${path}/claim`, { kind: 'public_unit', organisationName: 'Street health centre' });
    await k.admin.post(`${path}/fulfil`, {});
    expect((await k.residents[0].api.post(`${path}/dispute`, {})).status).toBe(400);
    const disputed = await k.residents[0].api.post(`${path}/dispute`, { note: 'Nothing arrived' });
    expect(disputed.body).toMatchObject({ status: 'disputed', residentNote: 'Nothing arrived' });
  });

  it('expires approved wishes nobody claimed by their deadline, and only those', async () => {
    const unclaimed = await postApproved('A winter coat');
    const claimed = await postApproved('A desk lamp');
    await partyMembers[0].post(`${claimed}/claim`, { kind: 'party_member' });
    const view = await k.admin.get(unclaimed);
    const afterDeadline = new Date(new Date(view.body.expiresAt).getTime() + 1000);
    const sweeper = system.activities!.get(MicroWishesService);
    expect(await sweeper.expireDue(new Date())).toBe(0);
    expect(await sweeper.expireDue(afterDeadline)).toBeGreaterThanOrEqual(1);
    expect((await k.admin.get(unclaimed)).body.status).toBe('expired');
    expect((await k.admin.get(claimed)).body.status).toBe('claimed');
    const late = await partyMembers[1].post(`${unclaimed}/claim`, { kind: 'party_member' });
    expect(late.status).toBe(409);
  });

  it("refuses a resident of another community and a resident claiming", async () => {
    const path = await postApproved('A thermos');
    const resident = await k.residents[1].api.post(`${path}/claim`, { kind: 'party_member' });
    expect(resident.status).toBe(403);
    const stranger = await buildCommunity(system.baseUrl, `${system.id}y`, 1);
    const other = await stranger.residents[0].api.get(path);
    expect(other.status).toBe(403);
  });
});
