import { INestApplication } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import {
  DomainException,
  ErrorCode,
  EventContract,
  EventEnvelope,
  GridHierarchyEvents,
  GridPosition,
  NodeKind,
  Principal,
  Role,
  ServiceName,
  StaffListScope,
} from '@cg/contracts';
import { DurableConsumers, startServiceApp } from '@cg/messaging';
import { ServiceConfig } from '@cg/observability';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import { Model, Types } from 'mongoose';
import { GridAppModule } from '../src/app.module';
import { BuildingMovesService, STALLED_MOVE_MS } from '../src/hierarchy/building-moves.service';
import { HierarchyService } from '../src/hierarchy/hierarchy.service';
import { HierarchyNode } from '../src/hierarchy/node.schema';
import { StaffService } from '../src/hierarchy/staff.service';

const admin: Principal = { sub: 'admin', name: 'Admin', roles: [Role.DistrictAdmin], communityIds: [] };

/** Settles the contenders and answers the winners and the losers' codes. */
async function race<T>(contenders: Promise<T>[]) {
  const results = await Promise.allSettled(contenders);
  return {
    winners: results
      .filter((r): r is PromiseFulfilledResult<Awaited<T>> => r.status === 'fulfilled')
      .map((r) => r.value),
    losers: results
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => (r.reason as DomainException).code),
  };
}

describe('building moves and staff endings, with two instances on one database', () => {
  const id = runId();
  let config: ServiceConfig;
  let first: INestApplication;
  let second: INestApplication;
  let nodes: Model<HierarchyNode>;
  const events: EventEnvelope[] = [];

  const start = () => startServiceApp(GridAppModule.register(config), config);

  beforeAll(async () => {
    config = testServiceConfig(ServiceName.Grid, id);
    [first, second] = [await start(), await start()];
    nodes = first.get(getModelToken(HierarchyNode.name));
    const consumers = first.get(DurableConsumers);
    for (const contract of [
      GridHierarchyEvents.buildingMoved,
      GridHierarchyEvents.staffChanged,
    ] as EventContract<unknown>[]) {
      await consumers.start({
        durable: `hierarchy-test-${id}-${contract.type.split('.').pop()}`,
        event: contract,
        handle: async (e) => void events.push(e),
      });
    }
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  /** A community of its own with one area, three grids and one building of four units in the first grid. */
  async function community(tag: string) {
    const hierarchy = first.get(HierarchyService);
    const communityId = (
      await hierarchy.createCommunity(admin, {
        code: `${tag}${id}`,
        name: tag,
        district: 'Xuhui',
        street: 'Kangjian',
      })
    ).id;
    const areaId = (await hierarchy.createArea(admin, communityId, { code: 'A1', name: 'Area 1' })).id;
    const grids: string[] = [];
    for (const code of ['G1', 'G2', 'G3'])
      grids.push((await hierarchy.createGrid(admin, communityId, { areaId, code, name: code })).id);
    const bulk = await hierarchy.bulkCreateBuildings(admin, communityId, {
      gridId: grids[0],
      buildings: [{ code: 'B1', floors: 2, unitsPerFloor: 2 }],
    });
    return { communityId, grids, buildingId: bulk.buildings[0].id };
  }

  const unitGrids = async (buildingId: string) =>
    (await nodes.find({ buildingId: new Types.ObjectId(buildingId), kind: NodeKind.Unit }).lean()).map((u) =>
      String(u.gridId),
    );
  const movedEvents = (buildingId: string) =>
    events.filter(
      (e) =>
        e.type === GridHierarchyEvents.buildingMoved.type &&
        (e.data as { buildingId: string }).buildingId === buildingId,
    );

  it('lets exactly one of 20 concurrent moves of one building to a grid land, units following, its event published once', async () => {
    const { communityId, grids, buildingId } = await community('M');
    const services = [first.get(BuildingMovesService), second.get(BuildingMovesService)];
    const { winners, losers } = await race(
      Array.from({ length: 20 }, (_, i) =>
        services[i % 2].move(admin, communityId, buildingId, { gridId: grids[1] }),
      ),
    );
    expect(winners).toHaveLength(1);
    const target = grids[1];
    expect(winners[0]).toMatchObject({ fromGridId: grids[0], toGridId: target, unitsMoved: 4 });
    expect(losers).toHaveLength(19);
    expect(
      losers.filter((code) => code !== ErrorCode.CONFLICT && code !== ErrorCode.INVALID_TRANSITION),
    ).toEqual([]);
    const building = await nodes.findById(buildingId).lean();
    expect(String(building!.gridId)).toBe(target);
    expect(building!.moving).toBeUndefined();
    expect(await unitGrids(buildingId)).toEqual(Array(4).fill(target));
    await eventually(
      async () =>
        movedEvents(buildingId).length === 1 && !(await nodes.findById(buildingId).lean())!.outbox?.length,
    );
    expect(movedEvents(buildingId)[0].data).toMatchObject({ fromGridId: grids[0], toGridId: target });
  });

  it('finishes a move cut short after its building moved but before its units followed', async () => {
    const { communityId, grids, buildingId } = await community('S');
    const moves = first.get(BuildingMovesService);
    await moves.move(admin, communityId, buildingId, { gridId: grids[1] });
    const [grid3] = await nodes.find({ _id: new Types.ObjectId(grids[2]) }).lean();
    const at = new Date(Date.now() - STALLED_MOVE_MS - 1000);
    // As a process killed right after the building's update would leave it: building in G3, units still in G2.
    await nodes.updateOne(
      { _id: new Types.ObjectId(buildingId) },
      {
        $set: {
          parentKey: grids[2],
          parentId: grid3._id,
          gridId: grid3._id,
          moving: {
            fromGridId: new Types.ObjectId(grids[1]),
            fromAreaId: grid3.areaId,
            toGridId: grid3._id,
            toAreaId: grid3.areaId,
            at,
          },
        },
      },
    );
    await expect(moves.move(admin, communityId, buildingId, { gridId: grids[0] })).rejects.toMatchObject({
      code: ErrorCode.CONFLICT,
    });
    expect(await unitGrids(buildingId)).toEqual(Array(4).fill(grids[1]));
    expect(await moves.finishStalledMoves()).toBeGreaterThanOrEqual(1);
    expect(await unitGrids(buildingId)).toEqual(Array(4).fill(grids[2]));
    expect((await nodes.findById(buildingId).lean())!.moving).toBeUndefined();
    expect(await moves.move(admin, communityId, buildingId, { gridId: grids[0] })).toMatchObject({
      fromGridId: grids[2],
      toGridId: grids[0],
      unitsMoved: 4,
    });
  });

  it('lets exactly one of 20 concurrent endings of an assignment land, with its event published once', async () => {
    const { communityId, grids } = await community('E');
    const staff = [first.get(StaffService), second.get(StaffService)];
    const assignment = await staff[0].assign(admin, communityId, {
      nodeId: grids[0],
      position: GridPosition.GridStaff,
      name: 'Staff Leaving',
    });
    const { winners, losers } = await race(
      Array.from({ length: 20 }, (_, i) =>
        staff[i % 2].end(admin, communityId, assignment.id, { note: `ending ${i}` }),
      ),
    );
    expect(winners).toHaveLength(1);
    expect(losers).toEqual(Array(19).fill(ErrorCode.INVALID_TRANSITION));
    const listed = await staff[0].list(admin, communityId, {
      nodeId: grids[0],
      scope: StaffListScope.History,
    });
    expect(listed.items.find((s) => s.id === assignment.id)).toMatchObject({ until: winners[0].until });
    const ended = () =>
      events.filter(
        (e) =>
          e.type === GridHierarchyEvents.staffChanged.type &&
          (e.data as { assignmentId: string; change: string }).assignmentId === assignment.id &&
          (e.data as { change: string }).change === 'ended',
      );
    await eventually(async () => ended().length === 1);
    expect(ended()[0].data).toMatchObject({ until: winners[0].until });
  });
});
