import { INestApplication } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import { ErrorCode, NodeKind, Principal, Role, ServiceName } from '@cg/contracts';
import { startServiceApp } from '@cg/messaging';
import { runInScope } from '@cg/observability';
import { runId, testServiceConfig } from '@cg/testing';
import { Model, Types } from 'mongoose';
import { GridAppModule } from '../src/app.module';
import { HierarchyService } from '../src/hierarchy/hierarchy.service';
import { HierarchyNode } from '../src/hierarchy/node.schema';

const admin: Principal = { sub: 'admin', name: 'Admin', roles: [Role.DistrictAdmin], communityIds: [] };

describe('a batch of buildings cut short and sent again', () => {
  const id = runId();
  const config = testServiceConfig(ServiceName.Grid, id);
  let app: INestApplication;
  let hierarchy: HierarchyService;
  let nodes: Model<HierarchyNode>;
  let communityId: string;
  let gridId: string;

  beforeAll(async () => {
    app = await startServiceApp(GridAppModule.register(config), config);
    hierarchy = app.get(HierarchyService);
    nodes = app.get(getModelToken(HierarchyNode.name));
    communityId = (await hierarchy.createCommunity(admin, { code: `RB${id}`, name: 'K', district: 'Xuhui', street: 'Kangjian' })).id;
    const areaId = (await hierarchy.createArea(admin, communityId, { code: 'A1', name: 'Area 1' })).id;
    gridId = (await hierarchy.createGrid(admin, communityId, { areaId, code: 'G1', name: 'Grid 1' })).id;
  });

  afterAll(async () => {
    await app.close();
  });

  const batch = () => ({
    gridId,
    buildings: [
      { code: 'B1', floors: 2, unitsPerFloor: 2 },
      { code: 'B2', floors: 3, unitsPerFloor: 2 },
    ],
  });
  const inWrite = <T>(writeKey: string, fn: () => Promise<T>) => runInScope({ correlationId: 'c', writeKey }, fn);

  it('is completed by the retry with its write key, and refused without it', async () => {
    const writeKey = `${Math.floor(Date.now() / 1000)}.${'ab'.repeat(20)}`;
    const first = await inWrite(writeKey, () => hierarchy.bulkCreateBuildings(admin, communityId, batch()));
    // As if the process died part-way: the second building and some units never got written.
    const b2 = first.buildings.find((b) => b.code === 'B2')!;
    await nodes.deleteMany({ $or: [{ _id: new Types.ObjectId(b2.id) }, { buildingId: new Types.ObjectId(b2.id) }] });
    await nodes.deleteOne({ buildingCode: 'B1', code: '201' });

    await expect(hierarchy.bulkCreateBuildings(admin, communityId, batch())).rejects.toMatchObject({ code: ErrorCode.CODE_TAKEN });
    const retried = await inWrite(writeKey, () => hierarchy.bulkCreateBuildings(admin, communityId, batch()));
    expect(retried.buildings.map((b) => b.id)).toEqual(first.buildings.map((b) => b.id));
    const stored = await nodes.find({ buildingId: { $in: first.buildings.map((b) => new Types.ObjectId(b.id)) } }).lean().exec();
    expect(stored).toHaveLength(4 + 6);
    expect(new Set(stored.map((u) => `${u.buildingCode}-${u.code}`)).size).toBe(10);
    expect(await nodes.countDocuments({ communityId: new Types.ObjectId(communityId), kind: NodeKind.Building })).toBe(2);
  });
});
