import { getConnectionToken } from '@nestjs/mongoose';
import { CaseCategory, CaseStatus, Role } from '@cg/contracts';
import { Connection, Types } from 'mongoose';
import { ADMIN, TestSystem, client } from './support/system';

const HOUR = 3_600_000;

describe('case trends through the gateway', () => {
  const system = new TestSystem();
  let admin: ReturnType<typeof client>;
  let resident: ReturnType<typeof client>;
  let communityId: string;
  const gridId = new Types.ObjectId();
  const buildings = [new Types.ObjectId(), new Types.ObjectId()];
  const trends = (query: string) => admin.get(`/api/v1/communities/${communityId}/cases/trends?${query}`);

  /** A stored case with the instants of its steps, as the service writes them. */
  function stored(
    community: string,
    category: CaseCategory,
    reportedAt: string,
    steps: { acceptedAfterHours?: number; closedAt?: string; satisfied?: boolean; building?: number } = {},
  ) {
    const reported = new Date(reportedAt);
    const closedAt = steps.closedAt ? new Date(steps.closedAt) : undefined;
    return {
      _id: new Types.ObjectId(),
      communityId: new Types.ObjectId(community),
      category,
      urgency: 'normal',
      description: 'A case of the trends',
      photoUrls: [],
      locationKind: 'building',
      buildingId: buildings[steps.building ?? 0],
      gridId,
      areaId: new Types.ObjectId(),
      status: closedAt ? CaseStatus.Closed : steps.acceptedAfterHours ? CaseStatus.Accepted : CaseStatus.Reported,
      version: 1,
      reporter: { sub: 'someone', name: 'Someone' },
      reportedAt: reported,
      signForDueAt: new Date(reported.getTime() + 24 * HOUR),
      dueAt: new Date(reported.getTime() + 240 * HOUR),
      ...(steps.acceptedAfterHours && { acceptedAt: new Date(reported.getTime() + steps.acceptedAfterHours * HOUR) }),
      ...(closedAt && { closedAt, resolvedAt: closedAt }),
      arbitrated: false,
      reopenCount: 0,
      escalationLevel: 0,
      tally: {
        resolved: closedAt ? 1 : 0,
        onTime: 0,
        resolveMinutes: 0,
        rated: steps.satisfied === undefined ? 0 : 1,
        satisfied: steps.satisfied ? 1 : 0,
        reopened: 0,
      },
      history: [],
      outbox: [],
    };
  }

  beforeAll(async () => {
    await system.start();
    const login = await client(system.baseUrl).post('/api/v1/auth/login', ADMIN);
    admin = client(system.baseUrl, login.body.accessToken);
    const community = await admin.post('/api/v1/communities', { code: `T${system.id}`, name: 'K', district: 'Xuhui', street: 'Kangjian' });
    communityId = community.body.id;
    const other = await admin.post('/api/v1/communities', { code: `U${system.id}`, name: 'L', district: 'Xuhui', street: 'Kangjian' });
    const username = `resident.${system.id}`;
    await admin.post('/api/v1/accounts', { username, password: 'trends-password', name: 'R', roles: [Role.Resident], communityIds: [communityId] });
    resident = client(system.baseUrl, (await client(system.baseUrl).post('/api/v1/auth/login', { username, password: 'trends-password' })).body.accessToken);
    const database = system.grid!.get<Connection>(getConnectionToken());
    await database.collection('cases').insertMany([
      stored(communityId, CaseCategory.Noise, '2026-01-05T09:00:00+08:00', { acceptedAfterHours: 2, closedAt: '2026-01-07T09:00:00+08:00', satisfied: true }),
      stored(communityId, CaseCategory.Noise, '2026-01-20T09:00:00+08:00', { acceptedAfterHours: 4, closedAt: '2026-02-02T09:00:00+08:00', satisfied: false, building: 1 }),
      // Saturday 31 January 23:30 in Shanghai is still January (and ISO week 5) there.
      stored(communityId, CaseCategory.Sanitation, '2026-01-31T23:30:00+08:00'),
      // Sunday 1 February 00:30 in Shanghai is February, but the same ISO week as the day before.
      stored(communityId, CaseCategory.Sanitation, '2026-02-01T00:30:00+08:00', { acceptedAfterHours: 6 }),
      stored(other.body.id, CaseCategory.Noise, '2026-01-10T09:00:00+08:00', { acceptedAfterHours: 1 }),
    ]);
  });

  afterAll(() => system.stop());

  it('counts filed and closed cases per month and category, with sign-for and close times and satisfaction', async () => {
    const res = await trends('interval=month&by=category&from=2026-01-01T00:00:00%2B08:00&to=2026-03-01T00:00:00%2B08:00');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ interval: 'month', by: 'category', periods: ['2026-01', '2026-02'] });
    expect(res.body.series).toEqual([
      {
        key: CaseCategory.Noise,
        points: [
          { period: '2026-01', filed: 2, closed: 1, signForMedianHours: 3, signForP90Hours: 3.8, closeMedianHours: 48, closeP90Hours: 48, rated: 1, satisfiedShare: 1 },
          { period: '2026-02', filed: 0, closed: 1, closeMedianHours: 312, closeP90Hours: 312, rated: 1, satisfiedShare: 0 },
        ],
      },
      {
        key: CaseCategory.Sanitation,
        points: [
          { period: '2026-01', filed: 1, closed: 0, rated: 0 },
          { period: '2026-02', filed: 1, closed: 0, signForMedianHours: 6, signForP90Hours: 6, rated: 0 },
        ],
      },
    ]);
  });

  it('buckets by ISO week in China Standard Time', async () => {
    const res = await trends('interval=week&from=2026-01-26T00:00:00%2B08:00&to=2026-02-09T00:00:00%2B08:00');
    expect(res.status).toBe(200);
    expect(res.body.periods).toEqual(['2026-W05', '2026-W06']);
    expect(res.body.series).toHaveLength(1);
    expect(res.body.series[0]).toMatchObject({
      key: 'all',
      points: [
        { period: '2026-W05', filed: 2, closed: 0 },
        { period: '2026-W06', filed: 0, closed: 1, closeMedianHours: 312 },
      ],
    });
  });

  it('keys series on buildings and on the current status', async () => {
    const range = 'from=2026-01-01T00:00:00%2B08:00&to=2026-03-01T00:00:00%2B08:00';
    const byBuilding = await trends(`by=building&${range}`);
    expect(byBuilding.body.series.map((s: { key: string }) => s.key).sort()).toEqual(buildings.map(String).sort());
    const byStatus = await trends(`by=status&${range}`);
    const closed = byStatus.body.series.find((s: { key: string }) => s.key === CaseStatus.Closed);
    expect(closed.points.map((p: { filed: number }) => p.filed)).toEqual([2, 0]);
  });

  it('defaults to the last twelve months', async () => {
    const res = await trends('');
    expect(res.status).toBe(200);
    expect(res.body.periods).toHaveLength(12);
    expect(res.body.interval).toBe('month');
  });

  it('refuses residents, reversed or too long ranges and unknown dimensions', async () => {
    expect((await resident.get(`/api/v1/communities/${communityId}/cases/trends`)).status).toBe(403);
    const reversed = await trends('from=2026-03-01T00:00:00%2B08:00&to=2026-01-01T00:00:00%2B08:00');
    expect(reversed).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect((await trends('from=2010-01-01T00:00:00%2B08:00&to=2026-01-01T00:00:00%2B08:00')).status).toBe(400);
    expect((await trends('by=colour')).status).toBe(400);
  });
});
