import { ErrorCode } from '@cg/contracts';
import { eventually } from '@cg/testing';
import { CommunityFixture, buildCommunity, openActivity } from '../../apps/activities/test/community-fixture';
import { TestSystem } from './support/system';

describe('activity registration through the gateway', () => {
  const system = new TestSystem();
  let k: CommunityFixture;

  const publish = async (overrides: Record<string, unknown> = {}) => {
    const created = await k.admin.post(`${k.base}/activities`, openActivity(overrides));
    expect(created.status).toBe(201);
    const published = await k.admin.post(`${k.base}/activities/${created.body.id}/publish`);
    expect(published.status).toBe(200);
    return `${k.base}/activities/${created.body.id}`;
  };

  beforeAll(async () => {
    await system.start();
    k = await buildCommunity(system.baseUrl, system.id, 10);
  });

  afterAll(async () => {
    await system.stop();
  });

  it('creates a draft that residents cannot see, and publishes it', async () => {
    const created = await k.admin.post(`${k.base}/activities`, openActivity({ title: 'Lawn music festival', type: 'festival' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', capacity: 4, placesLeft: 4 });
    const hidden = await k.residents[0].api.get(`${k.base}/activities/${created.body.id}`);
    expect(hidden.status).toBe(404);
    const published = await k.admin.post(`${k.base}/activities/${created.body.id}/publish`);
    expect(published.body.status).toBe('published');
    const again = await k.admin.post(`${k.base}/activities/${created.body.id}/publish`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe(ErrorCode.INVALID_TRANSITION);
    const list = await k.residents[0].api.get(`${k.base}/activities`);
    expect(list.body.items.map((a: { id: string }) => a.id)).toContain(created.body.id);
  });

  it('rejects an activity whose registration closes after it ends', async () => {
    const res = await k.admin.post(`${k.base}/activities`, openActivity({ registrationClosesAt: new Date(Date.now() + 100 * 3600_000).toISOString() }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'registrationClosesAt' })]);
  });

  it('counts people, waitlists in order when full, and promotes the first waiting party that fits on a cancellation', async () => {
    const activity = await publish({ capacity: 4 });
    const [a, b, c, d] = k.residents;
    const first = await a.api.post(`${activity}/registrations`, { members: [{ name: 'Kid A', relation: 'child' }, { name: 'Spouse A', relation: 'spouse' }] });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'confirmed', headcount: 3 });
    expect(first.body.checkInCode).toMatch(/^[A-Za-z0-9_-]{24}$/);

    const second = await b.api.post(`${activity}/registrations`, { members: [{ name: 'Kid B', relation: 'child' }] });
    expect(second.body).toMatchObject({ status: 'waitlisted', headcount: 2, queuePosition: 1 });
    const third = await c.api.post(`${activity}/registrations`, {});
    expect(third.body).toMatchObject({ status: 'confirmed', headcount: 1 });
    const fourth = await d.api.post(`${activity}/registrations`, {});
    expect(fourth.body).toMatchObject({ status: 'waitlisted', queuePosition: 2 });
    expect((await k.admin.get(activity)).body.placesLeft).toBe(0);

    // One place frees: the family of two at the head does not fit, the single person behind it does.
    const cancelled = await c.api.post(`${activity}/registrations/${third.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await d.api.get(`${activity}/registrations/mine`)).body.status).toBe('confirmed');
    expect((await b.api.get(`${activity}/registrations/mine`)).body.status).toBe('waitlisted');

    // Three places free: the waiting family of two moves up.
    await a.api.post(`${activity}/registrations/${first.body.id}/cancel`);
    expect((await b.api.get(`${activity}/registrations/mine`)).body.status).toBe('confirmed');
    const view = await k.admin.get(activity);
    expect(view.body.placesLeft).toBe(1);
    const waiting = await k.admin.get(`${activity}/registrations?status=waitlisted`);
    expect(waiting.body.items).toEqual([]);
  });

  it('refuses a second registration by the same person', async () => {
    const activity = await publish();
    const [a] = k.residents;
    expect((await a.api.post(`${activity}/registrations`, {})).status).toBe(201);
    const again = await a.api.post(`${activity}/registrations`, {});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe(ErrorCode.DUPLICATE);
  });

  it('refuses registration before the window opens and after it closes', async () => {
    const hour = 3600_000;
    const early = await publish({ registrationOpensAt: new Date(Date.now() + hour).toISOString() });
    const notYet = await k.residents[0].api.post(`${early}/registrations`, {});
    expect(notYet.status).toBe(409);
    expect(notYet.body.code).toBe(ErrorCode.OUTSIDE_WINDOW);
    expect(notYet.body.detail).toMatch(/opens at/);

    const late = await publish({
      registrationOpensAt: new Date(Date.now() - 2 * hour).toISOString(),
      registrationClosesAt: new Date(Date.now() - hour).toISOString(),
    });
    const closed = await k.residents[0].api.post(`${late}/registrations`, {});
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe(ErrorCode.OUTSIDE_WINDOW);
    expect(closed.body.detail).toMatch(/closed at/);
  });

  it('keeps a building audience to that building, and owners-only to owners', async () => {
    const activity = await publish({ audience: { scope: 'buildings', buildingIds: [k.buildingIds[0]] } });
    const [inside, outside] = k.residents; // buildings 0 and 1
    const ok = await eventually(async () => {
      const r = await inside.api.post(`${activity}/registrations`, {});
      return r.status === 201 && r;
    });
    expect(ok.body.status).toBe('confirmed');
    const refused = await eventually(async () => {
      const r = await outside.api.post(`${activity}/registrations`, {});
      return r.status === 403 && /other buildings/.test(r.body.detail) && r;
    });
    expect(refused.body.code).toBe(ErrorCode.NOT_ELIGIBLE);

    const owners = await publish({ audience: { scope: 'community', ownersOnly: true } });
    expect((await k.residents[1].api.post(`${owners}/registrations`, {})).body.code).toBe(ErrorCode.NOT_ELIGIBLE);
    expect((await k.residents[0].api.post(`${owners}/registrations`, {})).status).toBe(201);
  });

  it('checks the age range of every participant and refuses household members where not allowed', async () => {
    const kids = await publish({ audience: { scope: 'community', minAge: 6, maxAge: 12 } });
    const tooOld = await k.residents[2].api.post(`${kids}/registrations`, { birthDate: '1985-01-01' });
    expect(tooOld.status).toBe(403);
    expect(tooOld.body.detail).toMatch(/older than 12/);
    const noFamily = await publish({ familyMembersAllowed: false });
    const res = await k.residents[2].api.post(`${noFamily}/registrations`, { members: [{ name: 'Kid', relation: 'child' }] });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe(ErrorCode.NOT_ELIGIBLE);
  });

  it('gives the last place to exactly one of the residents asking for it at the same moment', async () => {
    const activity = await publish({ capacity: 3 });
    const [a, ...rest] = k.residents;
    expect((await a.api.post(`${activity}/registrations`, { members: [{ name: 'Kid', relation: 'child' }] })).body.status).toBe('confirmed');
    const contenders = rest.slice(0, 8);
    const results = await Promise.all(contenders.map((r) => r.api.post(`${activity}/registrations`, {})));
    expect(results.map((r) => r.status)).toEqual(contenders.map(() => 201));
    const confirmed = results.filter((r) => r.body.status === 'confirmed');
    const waitlisted = results.filter((r) => r.body.status === 'waitlisted');
    expect(confirmed).toHaveLength(1);
    expect(waitlisted).toHaveLength(7);
    expect(new Set(waitlisted.map((r) => r.body.queuePosition)).size).toBe(7);
    const view = await k.admin.get(activity);
    expect(view.body.placesLeft).toBe(0);
    const held = await k.admin.get(`${activity}/registrations?status=confirmed`);
    expect(held.body.items.reduce((sum: number, r: { headcount: number }) => sum + r.headcount, 0)).toBe(3);
  });

  it('checks in by code once, refuses a code of another activity, and reports the no-show rate', async () => {
    const now = Date.now();
    const startingSoon = {
      capacity: 10,
      startsAt: new Date(now + 10 * 60_000).toISOString(),
      endsAt: new Date(now + 2 * 3600_000).toISOString(),
      registrationClosesAt: new Date(now + 3600_000).toISOString(),
    };
    const one = await publish(startingSoon);
    const other = await publish(startingSoon);
    const [a, b, c] = k.residents;
    const ra = await a.api.post(`${one}/registrations`, { members: [{ name: 'Kid', relation: 'child' }] });
    const rb = await b.api.post(`${one}/registrations`, {});
    const rc = await c.api.post(`${other}/registrations`, {});
    expect((await k.residents[3].api.post(`${one}/registrations`, {})).body.status).toBe('confirmed'); // will not come

    const scan = await k.admin.post(`${one}/check-ins`, { code: ra.body.checkInCode });
    expect(scan.status).toBe(200);
    expect(scan.body.checkedInAt).toBeDefined();
    expect(scan.body.checkInCode).toBeUndefined();
    const twice = await k.admin.post(`${one}/check-ins`, { code: ra.body.checkInCode });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe(ErrorCode.DUPLICATE);
    const scans = await Promise.all([1, 2, 3].map(() => k.admin.post(`${one}/check-ins`, { registrationId: rb.body.id })));
    expect(scans.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    await k.admin.post(`${one}/registrations/${rb.body.id}/cancel`).then((r) => expect(r.status).toBe(409));
    const foreign = await k.admin.post(`${one}/check-ins`, { code: rc.body.checkInCode });
    expect(foreign.status).toBe(404);
    const guessed = await k.admin.post(`${one}/check-ins`, { code: 'AAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(guessed.status).toBe(404);
    const residentScan = await b.api.post(`${one}/check-ins`, { code: rb.body.checkInCode });
    expect(residentScan.status).toBe(403);

    const found = await k.admin.get(`${one}/registrations?name=${encodeURIComponent(b.name)}`);
    expect(found.body.items.map((r: { id: string }) => r.id)).toEqual([rb.body.id]);

    const attendance = await k.admin.get(`${one}/attendance`);
    expect(attendance.body).toMatchObject({ confirmedPeople: 4, checkedInPeople: 3, checkedInRegistrations: 2, noShowRate: '0.25' });
  });

  it("refuses another community's staff and residents", async () => {
    const activity = await publish();
    const stranger = await buildCommunity(system.baseUrl, `${system.id}x`, 1);
    const res = await stranger.residents[0].api.post(`${activity}/registrations`, {});
    expect(res.status).toBe(403);
    expect(res.body.code).toBe(ErrorCode.FORBIDDEN);
  });
});
