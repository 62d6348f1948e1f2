import { INestApplication } from '@nestjs/common';
import {
  ActivitiesEvents,
  CompetitionFormat,
  CompetitionMetric,
  DOMAIN_EVENTS_STREAM,
  DomainException,
  ErrorCode,
  EventEnvelope,
  MembershipEvents,
  Principal,
  Relation,
  Role,
  ServiceName,
  newEvent,
} from '@cg/contracts';
import { NatsConnection, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import { JSONCodec } from 'nats';
import { Types } from 'mongoose';
import { GridAppModule } from '../../grid/src/app.module';
import { HierarchyService } from '../../grid/src/hierarchy/hierarchy.service';
import { ActivitiesAppModule } from '../src/app.module';
import { CompetitionsService } from '../src/competitions/competitions.service';
import { CHECK_IN_SCORES_CONSUMER, SHIFT_SCORES_CONSUMER } from '../src/competitions/score-events.service';
import { ResidencyService } from '../src/residents/residency.service';

const admin: Principal = { sub: 'admin', name: 'Admin', roles: [Role.DistrictAdmin], communityIds: [] };
const codec = JSONCodec();

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as DomainException).code;
  }
}

describe('building competitions in the activities service, with two instances on one database', () => {
  const id = runId();
  const gridConfig = testServiceConfig(ServiceName.Grid, id);
  const config = testServiceConfig(ServiceName.Activities, id);
  let grid: INestApplication;
  let first: INestApplication;
  let second: INestApplication;
  let nats: NatsConnection;
  let communityId: string;
  let staff: Principal;
  const buildings: { id: string; unitId: string; gridId: string }[] = [];
  const people = {
    p1: new Types.ObjectId().toHexString(),
    p2: new Types.ObjectId().toHexString(),
    p3: new Types.ObjectId().toHexString(),
  };

  const meta = () => ({ communityId, actor: 'test', correlationId: `c-${id}` });
  /** Two JetStream messages carrying the same event: a redelivery, or a re-publish after the de-duplication window. */
  const deliverTwice = async (envelope: EventEnvelope) => {
    await nats.js.publish(envelope.type, codec.encode(envelope), { msgID: `${envelope.id}-first` });
    await nats.js.publish(envelope.type, codec.encode(envelope), { msgID: `${envelope.id}-second` });
  };
  const drained = (durable: string) =>
    eventually(async () => {
      const info = await nats.jsm.consumers.info(DOMAIN_EVENTS_STREAM, durable);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });

  beforeAll(async () => {
    grid = await startServiceApp(GridAppModule.register(gridConfig), gridConfig);
    first = await startServiceApp(ActivitiesAppModule.register(config), config);
    second = await startServiceApp(ActivitiesAppModule.register(config), config);
    nats = first.get(NatsConnection);
    const hierarchy = grid.get(HierarchyService);
    communityId = (
      await hierarchy.createCommunity(admin, {
        code: `C${id}`,
        name: 'K',
        district: 'Xuhui',
        street: 'Kangjian',
      })
    ).id;
    const area = await hierarchy.createArea(admin, communityId, { code: 'A1', name: 'Area 1' });
    for (const [g, codes] of [
      ['G1', ['B001', 'B002']],
      ['G2', ['B003']],
    ] as const) {
      const gridId = (await hierarchy.createGrid(admin, communityId, { areaId: area.id, code: g, name: g }))
        .id;
      const bulk = await hierarchy.bulkCreateBuildings(admin, communityId, {
        gridId,
        buildings: codes.map((code) => ({ code, floors: 1, unitsPerFloor: 1 })),
      });
      for (const b of bulk.buildings) {
        const units = await hierarchy.listUnits(admin, communityId, b.id, {});
        buildings.push({ id: b.id, unitId: units.items[0].id, gridId });
      }
    }
    staff = { sub: 'staff', name: 'Chen Jing', roles: [Role.CommunityStaff], communityIds: [communityId] };
    const homes: [string, number][] = [
      [people.p1, 0],
      [people.p2, 0],
      [people.p3, 2],
    ];
    for (const [personId, b] of homes) {
      const event = newEvent(
        MembershipEvents.residentRegistered,
        {
          personId,
          name: 'Resident',
          unitId: buildings[b].unitId,
          buildingId: buildings[b].id,
          gridId: buildings[b].gridId,
          relation: Relation.Tenant,
        },
        meta(),
      );
      await nats.js.publish(event.type, codec.encode(event), { msgID: event.id });
    }
    const residencies = first.get(ResidencyService);
    await eventually(async () =>
      (await Promise.all(Object.values(people).map((p) => residencies.find(communityId, p)))).every(Boolean),
    );
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await grid?.close();
  });

  const competitions = () => first.get(CompetitionsService);
  const create = (
    metric: CompetitionMetric,
    format = CompetitionFormat.League,
    over: Record<string, unknown> = {},
  ) =>
    competitions().create(staff, communityId, {
      title: `${metric} month`,
      metric,
      format,
      startsAt: new Date(Date.now() - 3600_000).toISOString(),
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
      ...over,
    });
  const scores = async (competitionId: string) => {
    const board = await competitions().leaderboard(staff, communityId, competitionId, {});
    return Object.fromEntries(board.standings.map((s) => [s.buildingCode, [s.score, s.entries]]));
  };

  it('counts a check-in once for the building of the resident even when the event is delivered twice', async () => {
    const participation = await create(CompetitionMetric.Participation);
    const otherActivity = await create(CompetitionMetric.Participation, CompetitionFormat.League, {
      activityIds: [new Types.ObjectId().toHexString()],
    });
    expect(participation.teamCount).toBe(3);
    const checkIn = (personId: string, headcount: number, at = new Date()) =>
      newEvent(
        ActivitiesEvents.checkedIn,
        {
          registrationId: new Types.ObjectId().toHexString(),
          activityId: new Types.ObjectId().toHexString(),
          personId,
          headcount,
          checkedInAt: at.toISOString(),
        },
        meta(),
      );
    await Promise.all([
      deliverTwice(checkIn(people.p1, 3)),
      deliverTwice(checkIn(people.p3, 1)),
      // Nobody we know, and a check-in before the competition began: neither scores.
      deliverTwice(checkIn(new Types.ObjectId().toHexString(), 5)),
      deliverTwice(checkIn(people.p2, 4, new Date(Date.now() - 2 * 3600_000))),
    ]);
    await drained(CHECK_IN_SCORES_CONSUMER);

    expect(await scores(participation.id)).toEqual({
      B001: ['3.00', 1],
      B003: ['1.00', 1],
      B002: ['0.00', 0],
    });
    expect(await scores(otherActivity.id)).toEqual({
      B001: ['0.00', 0],
      B002: ['0.00', 0],
      B003: ['0.00', 0],
    });
    const grids = await competitions().gridLeaderboard(staff, communityId, participation.id);
    expect(grids.standings.map((g) => [g.rank, g.score, g.buildings])).toEqual([
      [1, '3.00', 2],
      [2, '1.00', 1],
    ]);
    const inGrid = await competitions().leaderboard(staff, communityId, participation.id, {
      gridId: buildings[0].gridId,
    });
    expect(inGrid.standings.map((s) => [s.rank, s.buildingCode])).toEqual([
      [1, 'B001'],
      [2, 'B002'],
    ]);
  });

  it('counts volunteer hours once, in exact hundredths, when the shift completion arrives twice', async () => {
    const hours = await create(CompetitionMetric.VolunteerHours);
    const completed = (personId: string, h: string) =>
      newEvent(
        ActivitiesEvents.shiftCompleted,
        {
          shiftId: new Types.ObjectId().toHexString(),
          sourceId: 'safety-watch',
          personId,
          hours: h,
          completedAt: new Date().toISOString(),
        },
        meta(),
      );
    await deliverTwice(completed(people.p2, '2.50'));
    await deliverTwice(completed(people.p1, '0.10'));
    await deliverTwice(completed(people.p1, '0.20'));
    await drained(SHIFT_SCORES_CONSUMER);
    expect(await scores(hours.id)).toEqual({ B001: ['2.80', 3], B002: ['0.00', 0], B003: ['0.00', 0] });
  });

  it('records a staff result once per result key, even when the same result arrives at once on both instances', async () => {
    const points = await create(CompetitionMetric.Points);
    const result = { resultKey: 'inspection-1', buildingId: buildings[2].id, points: '7.5' };
    const replies = await Promise.all(
      [first, second, first, second].map((app) =>
        app.get(CompetitionsService).recordResult(staff, communityId, points.id, result),
      ),
    );
    expect(replies.filter((r) => r.firstRecorded)).toHaveLength(1);
    expect(replies.every((r) => r.points === '7.50')).toBe(true);
    expect(
      await codeOf(competitions().recordResult(staff, communityId, points.id, { ...result, points: '8' })),
    ).toBe(ErrorCode.DUPLICATE);
    expect(await scores(points.id)).toEqual({ B003: ['7.50', 1], B001: ['0.00', 0], B002: ['0.00', 0] });
  });

  it('draws a bracket once and decides a match once when two results race', async () => {
    const knockout = await create(CompetitionMetric.Points, CompetitionFormat.Knockout);
    const seeds = buildings.map((b) => b.id);
    const draws = await Promise.allSettled(
      [first, second].map((app) =>
        app.get(CompetitionsService).drawBracket(staff, communityId, knockout.id, { seedBuildingIds: seeds }),
      ),
    );
    expect(draws.filter((d) => d.status === 'fulfilled')).toHaveLength(1);
    expect(
      draws.filter(
        (d) => d.status === 'rejected' && (d.reason as DomainException).code === ErrorCode.ALREADY_TAKEN,
      ),
    ).toHaveLength(1);

    // Three teams: a bracket of four; seed 1 has a bye, seeds 2 and 3 meet in R1M2.
    const races = await Promise.allSettled([
      first
        .get(CompetitionsService)
        .recordMatch(staff, communityId, knockout.id, 'R1M2', { winnerBuildingId: seeds[1] }),
      second
        .get(CompetitionsService)
        .recordMatch(staff, communityId, knockout.id, 'R1M2', { winnerBuildingId: seeds[2] }),
    ]);
    expect(races.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(
      races.filter(
        (r) => r.status === 'rejected' && (r.reason as DomainException).code === ErrorCode.ALREADY_TAKEN,
      ),
    ).toHaveLength(1);
    const bracket = await competitions().getBracket(staff, communityId, knockout.id);
    const winner = bracket.rounds[0].matches[1].winnerBuildingId;
    expect([seeds[1], seeds[2]]).toContain(winner);
    expect(bracket.rounds[1].matches[0]).toMatchObject({
      status: 'ready',
      home: { seed: 1 },
      away: { buildingId: winner },
    });
  });

  it('refuses staff of another community', async () => {
    const points = await create(CompetitionMetric.Points);
    const outsider: Principal = {
      ...staff,
      sub: 'outsider',
      communityIds: [new Types.ObjectId().toHexString()],
    };
    expect(await codeOf(competitions().leaderboard(outsider, communityId, points.id, {}))).toBe(
      ErrorCode.FORBIDDEN,
    );
    expect(
      await codeOf(
        competitions().recordResult(outsider, communityId, points.id, {
          resultKey: 'x',
          buildingId: buildings[0].id,
          points: '1',
        }),
      ),
    ).toBe(ErrorCode.FORBIDDEN);
  });
});
