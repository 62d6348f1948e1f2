import {
  CompetitionEvents,
  CompetitionResultRecordedData,
  DOMAIN_EVENTS_STREAM,
  ErrorCode,
  EventEnvelope,
} from '@cg/contracts';
import { eventually } from '@cg/testing';
import { JSONCodec, connect } from 'nats';
import { CommunityFixture, buildCommunity, openActivity } from '../../apps/activities/test/community-fixture';
import { TestSystem } from './support/system';

interface Slot {
  buildingId: string;
  buildingCode: string;
  seed: number;
}
interface Match {
  key: string;
  status: string;
  home?: Slot;
  away?: Slot;
  winnerBuildingId?: string;
}

describe('building competitions through the gateway', () => {
  const system = new TestSystem();
  let k: CommunityFixture;
  /** Building code -> id: B001 and B002 from the fixture, B003-B005 added to grid 1. */
  const building: Record<string, string> = {};

  beforeAll(async () => {
    await system.start();
    // Residents 0 and 2 live in B001 (grid 1); residents 1 and 3 in B002 (grid 2).
    k = await buildCommunity(system.baseUrl, system.id, 4);
    const more = await k.admin.post(`${k.base}/buildings/bulk`, {
      gridId: k.gridIds[0],
      buildings: ['B003', 'B004', 'B005'].map((code) => ({ code, floors: 1, unitsPerFloor: 1 })),
    });
    expect(more.status).toBe(201);
    building.B001 = k.buildingIds[0];
    building.B002 = k.buildingIds[1];
    for (const b of more.body.buildings) building[b.code] = b.id;
  });

  afterAll(async () => {
    await system.stop();
  });

  const window = () => ({
    startsAt: new Date(Date.now() - 3600_000).toISOString(),
    endsAt: new Date(Date.now() + 30 * 24 * 3600_000).toISOString(),
  });
  const create = async (body: Record<string, unknown>) => {
    const res = await k.admin.post(`${k.base}/competitions`, { title: 'Competition', ...window(), ...body });
    expect(res.status).toBe(201);
    return `${k.base}/competitions/${res.body.id}`;
  };

  it('plays a knockout of five buildings with byes to a champion', async () => {
    const tug = await create({ title: 'Tug-of-war of all buildings', metric: 'points', format: 'knockout' });
    expect((await k.admin.get(tug)).body.teamCount).toBe(5);
    // Heats decide the seeding: B005 strongest, then B004, B003, B002, B001.
    for (const [i, code] of ['B001', 'B002', 'B003', 'B004', 'B005'].entries()) {
      const heat = await k.admin.post(`${tug}/results`, {
        resultKey: `heat-${code}`,
        buildingId: building[code],
        points: String(i + 1),
      });
      expect(heat.status).toBe(200);
    }
    const drawn = await k.admin.post(`${tug}/bracket`, {});
    expect(drawn.status).toBe(201);
    expect(drawn.body).toMatchObject({ size: 8, teamCount: 5, byes: 3 });
    expect(drawn.body.rounds.map((r: { name: string }) => r.name)).toEqual([
      'Quarter-finals',
      'Semi-finals',
      'Final',
    ]);
    expect((await k.admin.post(`${tug}/bracket`, {})).body.code).toBe(ErrorCode.ALREADY_TAKEN);

    const first: Match[] = drawn.body.rounds[0].matches;
    expect(first.map((m) => m.status)).toEqual(['bye', 'ready', 'bye', 'bye']);
    expect(first[1]).toMatchObject({
      key: 'R1M2',
      home: { buildingCode: 'B002', seed: 4 },
      away: { buildingCode: 'B001', seed: 5 },
    });

    const semi = await k.admin.post(`${tug}/bracket/matches/R2M1/result`, {
      winnerBuildingId: building.B005,
    });
    expect(semi.status).toBe(409);
    expect(semi.body.code).toBe(ErrorCode.INVALID_TRANSITION);
    const outsider = await k.admin.post(`${tug}/bracket/matches/R1M2/result`, {
      winnerBuildingId: building.B003,
    });
    expect(outsider.status).toBe(400);
    expect(
      (
        await k.residents[0].api.post(`${tug}/bracket/matches/R1M2/result`, {
          winnerBuildingId: building.B001,
        })
      ).status,
    ).toBe(403);

    // The weakest seed, B001, wins every match it plays.
    const play = async (key: string, code: string) => {
      const res = await k.admin.post(`${tug}/bracket/matches/${key}/result`, {
        winnerBuildingId: building[code],
        score: '2-1',
      });
      expect(res.status).toBe(200);
      return res.body;
    };
    await play('R1M2', 'B001');
    expect(
      (await k.admin.post(`${tug}/bracket/matches/R1M2/result`, { winnerBuildingId: building.B002 })).body
        .code,
    ).toBe(ErrorCode.ALREADY_TAKEN);
    await play('R2M1', 'B001');
    const semis = await play('R2M2', 'B004');
    const final: Match = semis.rounds[2].matches[0];
    expect(final).toMatchObject({
      status: 'ready',
      home: { buildingCode: 'B001' },
      away: { buildingCode: 'B004' },
    });
    const done = await play('R3M1', 'B001');
    expect(done.championBuildingId).toBe(building.B001);
    expect((await k.residents[1].api.get(`${tug}/bracket`)).body.championBuildingId).toBe(building.B001);

    const nats = await connect({ servers: process.env.NATS_URL });
    try {
      const jsm = await nats.jetstreamManager();
      const codec = JSONCodec<EventEnvelope<CompetitionResultRecordedData>>();
      const event = await eventually(async () => {
        const message = await jsm.streams.getMessage(DOMAIN_EVENTS_STREAM, {
          last_by_subj: CompetitionEvents.resultRecorded.type,
        });
        const envelope = codec.decode(message.data);
        return envelope.data.matchKey === 'R3M1' && envelope.data.buildingId === building.B001 && envelope;
      });
      expect(event.data).toMatchObject({
        kind: 'match',
        champion: true,
        loserBuildingId: building.B004,
        round: 3,
      });
    } finally {
      await nats.close();
    }
  });

  it('ranks buildings and grids on a leaderboard fed by check-ins and staff results', async () => {
    const month = await create({
      title: 'Activity participation month',
      metric: 'participation',
      format: 'league',
    });
    const soon = Date.now();
    const created = await k.admin.post(
      `${k.base}/activities`,
      openActivity({
        capacity: 20,
        // Check-in opens half an hour before the start.
        startsAt: new Date(soon + 10 * 60_000).toISOString(),
        endsAt: new Date(soon + 2 * 3600_000).toISOString(),
        registrationClosesAt: new Date(soon + 3600_000).toISOString(),
      }),
    );
    const activity = `${k.base}/activities/${created.body.id}`;
    expect((await k.admin.post(`${activity}/publish`)).status).toBe(200);
    // Resident 0 (B001) brings two family members; resident 1 (B002) comes alone; resident 3 (B002) registers and stays home.
    const r0 = await k.residents[0].api.post(`${activity}/registrations`, {
      members: [
        { name: 'Kid', relation: 'child' },
        { name: 'Gran', relation: 'grandparent' },
      ],
    });
    const r1 = await k.residents[1].api.post(`${activity}/registrations`, {});
    await k.residents[3].api.post(`${activity}/registrations`, {});
    expect((await k.admin.post(`${activity}/check-ins`, { code: r0.body.checkInCode })).status).toBe(200);
    expect((await k.admin.post(`${activity}/check-ins`, { code: r1.body.checkInCode })).status).toBe(200);
    const bonus = {
      resultKey: 'tidy-stairwell-award',
      buildingId: building.B004,
      points: '1.50',
      note: 'Cleanest stairwell',
    };
    expect((await k.admin.post(`${month}/results`, bonus)).body.firstRecorded).toBe(true);
    const again = await k.admin.post(`${month}/results`, bonus);
    expect(again.status).toBe(200);
    expect(again.body.firstRecorded).toBe(false);

    const board = await eventually(async () => {
      const res = await k.residents[2].api.get(`${month}/leaderboard`);
      return res.body.standings?.[0]?.score === '3.00' && res.body;
    });
    expect(
      board.standings.map((s: { rank: number; buildingCode: string; score: string }) => [
        s.rank,
        s.buildingCode,
        s.score,
      ]),
    ).toEqual([
      [1, 'B001', '3.00'],
      [2, 'B004', '1.50'],
      [3, 'B002', '1.00'],
      [4, 'B003', '0.00'],
      [4, 'B005', '0.00'],
    ]);
    const grids = await k.residents[2].api.get(`${month}/leaderboard/grids`);
    expect(grids.body.standings).toEqual([
      { rank: 1, gridId: k.gridIds[0], score: '4.50', buildings: 4 },
      { rank: 2, gridId: k.gridIds[1], score: '1.00', buildings: 1 },
    ]);
    const grid2 = await k.residents[2].api.get(`${month}/leaderboard?gridId=${k.gridIds[1]}`);
    expect(grid2.body.standings).toEqual([
      expect.objectContaining({ rank: 1, buildingCode: 'B002', score: '1.00' }),
    ]);
  });

  it('keeps residents from running competitions and other communities out', async () => {
    expect(
      (
        await k.residents[0].api.post(`${k.base}/competitions`, {
          title: 'x',
          metric: 'points',
          format: 'league',
          ...window(),
        })
      ).status,
    ).toBe(403);
    const other = await buildCommunity(system.baseUrl, `${system.id}o`, 0);
    expect((await k.residents[0].api.get(`${other.base}/competitions`)).status).toBe(403);
    const list = await k.residents[0].api.get(`${k.base}/competitions?limit=1`);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.nextCursor).toBeDefined();
  });
});
