import { INestApplication } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import { DomainException, ErrorCode, ImportReport, NodeKind, Principal, Role, ServiceName } from '@cg/contracts';
import { startServiceApp } from '@cg/messaging';
import { runId, testServiceConfig } from '@cg/testing';
import { Model, Types } from 'mongoose';
import { GridAppModule } from '../src/app.module';
import { HierarchyRepository, NodeRecord } from '../src/hierarchy/hierarchy.repository';
import { HierarchyService } from '../src/hierarchy/hierarchy.service';
import { HierarchyNode } from '../src/hierarchy/node.schema';
import { ImportRunsRepository } from '../src/imports/imports.repository';
import { IMPORT_STALE_MS, ImportsService } from '../src/imports/imports.service';
import { REFERENCE, referenceCommunityCsv } from './reference-community';

const admin: Principal = { sub: 'admin', name: 'Admin', roles: [Role.DistrictAdmin], communityIds: [] };

async function rejection(promise: Promise<unknown>): Promise<DomainException> {
  try {
    await promise;
  } catch (error) {
    return error as DomainException;
  }
  throw new Error('expected the import to be rejected');
}

describe('importing a community from a CSV file', () => {
  const id = runId();
  const config = testServiceConfig(ServiceName.Grid, id);
  let app: INestApplication;
  let hierarchy: HierarchyService;
  let imports: ImportsService;
  let nodes: Model<HierarchyNode>;

  beforeAll(async () => {
    app = await startServiceApp(GridAppModule.register(config), config);
    hierarchy = app.get(HierarchyService);
    imports = app.get(ImportsService);
    nodes = app.get(getModelToken(HierarchyNode.name));
  });

  afterAll(async () => {
    await app?.close();
  });

  async function community(tag: string): Promise<Types.ObjectId> {
    const created = await hierarchy.createCommunity(admin, { code: `${tag}${id}`, name: tag, district: 'Xuhui', street: 'Kangjian' });
    return new Types.ObjectId(created.id);
  }

  const count = (communityId: Types.ObjectId, kind: NodeKind) => nodes.countDocuments({ communityId, kind });

  it('rejects a file with a bad row, reporting each bad row, and writes none of the good ones', async () => {
    const communityId = await community('R');
    const csv = [
      'area_code,grid_code,building_code,floors,units_per_floor',
      'A1,G01,B001,6,2',
      'A1,G01,B002,six,2',
      'A2,G02,B003,18,4',
      'A2,G02,B001,3,3',
    ].join('\r\n');
    const error = await rejection(imports.run(admin, String(communityId), { csv }));
    expect(error.code).toBe(ErrorCode.IMPORT_REJECTED);
    expect(error.details).toEqual([
      { line: 3, field: 'floors', reason: 'must be a whole number from 1 to 80' },
      { line: 5, field: 'building_code', reason: 'building B001 is already on line 2' },
    ]);
    expect(await nodes.countDocuments({ communityId, kind: { $ne: NodeKind.Community } })).toBe(0);
  });

  it('imports the reference community once, and importing the same file again changes nothing', async () => {
    const communityId = await community('K');
    const { csv, units } = referenceCommunityCsv();
    const started = Date.now();
    const first = await imports.run(admin, String(communityId), { csv });
    const firstMs = Date.now() - started;
    expect(first).toEqual<ImportReport>({
      format: 'buildings',
      rows: REFERENCE.buildings,
      areasCreated: REFERENCE.areas,
      gridsCreated: REFERENCE.grids,
      buildingsCreated: REFERENCE.buildings,
      unitsCreated: units,
      buildingsUnchanged: 0,
      dryRun: false,
    });
    expect(await count(communityId, NodeKind.Unit)).toBe(units);
    const view = await hierarchy.getHierarchy(admin, String(communityId));
    expect(view.areas.map((a) => a.name)).toEqual(['Residential area 1', 'Residential area 2', 'Residential area 3', 'Residential area 4']);
    const buildingsInView = view.areas.flatMap((a) => a.grids.flatMap((g) => g.buildings));
    expect(buildingsInView).toHaveLength(REFERENCE.buildings);
    expect(buildingsInView.reduce((sum, b) => sum + b.unitCount, 0)).toBe(units);

    const againStarted = Date.now();
    const again = await imports.run(admin, String(communityId), { csv });
    const againMs = Date.now() - againStarted;
    expect(again).toMatchObject({ areasCreated: 0, gridsCreated: 0, buildingsCreated: 0, unitsCreated: 0, buildingsUnchanged: REFERENCE.buildings });
    expect(await count(communityId, NodeKind.Unit)).toBe(units);
    expect(await count(communityId, NodeKind.Building)).toBe(REFERENCE.buildings);
    // Measured figures for the record, not asserted.
    process.stdout.write(
      `reference import: ${REFERENCE.buildings} buildings, ${units} units in ${firstMs} ms; re-import (no change) in ${againMs} ms\n`,
    );
  });

  it('lets exactly one of concurrent imports of the same file write; the others find everything there or get CONFLICT', async () => {
    const communityId = await community('P');
    const csv = 'area_code,grid_code,building_code,floors,units_per_floor\nA1,G01,B001,6,2\nA1,G02,B002,3,2\n';
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => imports.run(admin, String(communityId), { csv })));
    const reports = results.filter((r): r is PromiseFulfilledResult<ImportReport> => r.status === 'fulfilled').map((r) => r.value);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as DomainException).code);
    expect(reports.filter((r) => r.buildingsCreated === 2)).toHaveLength(1);
    expect(reports.filter((r) => r.buildingsCreated !== 2).every((r) => r.buildingsCreated === 0 && r.buildingsUnchanged === 2)).toBe(true);
    expect(refused.every((code) => code === ErrorCode.CONFLICT)).toBe(true);
    expect(await count(communityId, NodeKind.Area)).toBe(1);
    expect(await count(communityId, NodeKind.Grid)).toBe(2);
    expect(await count(communityId, NodeKind.Building)).toBe(2);
    expect(await count(communityId, NodeKind.Unit)).toBe(12 + 6);
    expect((await nodes.findById(communityId).lean())!.importing).toBeUndefined();
  });

  it('refuses an import while another holds the community, and takes over one cut short long ago', async () => {
    const communityId = await community('S');
    const csv = 'area_code,grid_code,building_code,floors,units_per_floor\nA1,G01,B001,1,2\n';
    await nodes.updateOne({ _id: communityId }, { $set: { importing: { importId: `live-${id}`, startedAt: new Date() } } });
    await expect(imports.run(admin, String(communityId), { csv })).rejects.toMatchObject({ code: ErrorCode.CONFLICT });
    expect(await count(communityId, NodeKind.Building)).toBe(0);
    const runs = app.get(ImportRunsRepository);
    const startedAt = new Date(Date.now() - IMPORT_STALE_MS - 1000);
    await runs.start({ _id: `stale-${id}`, communityId, by: 'admin', format: 'buildings', rows: 1, startedAt });
    await nodes.insertMany([
      { communityId, kind: NodeKind.Area, parentKey: String(communityId), parentId: communityId, code: 'A9', name: 'Half', importId: `stale-${id}` },
    ]);
    await nodes.updateOne({ _id: communityId }, { $set: { importing: { importId: `stale-${id}`, startedAt } } });
    expect(await imports.run(admin, String(communityId), { csv })).toMatchObject({ areasCreated: 1, buildingsCreated: 1, unitsCreated: 2 });
    expect((await nodes.find({ communityId, kind: NodeKind.Area }).lean()).map((a) => a.code)).toEqual(['A1']);
    expect(await runs.unfinished(communityId)).toEqual([]);
  });

  it('checks a file without writing it on a dry run', async () => {
    const communityId = await community('D');
    const report = await imports.run(admin, String(communityId), {
      csv: 'area_code,grid_code,building_code,unit_code,floor\nA1,G01,B1,101,1\nA1,G01,B1,102,1\n',
      dryRun: true,
    });
    expect(report).toMatchObject({ format: 'units', rows: 2, buildingsCreated: 1, unitsCreated: 2, dryRun: true });
    expect(await nodes.countDocuments({ communityId, kind: { $ne: NodeKind.Community } })).toBe(0);
  });

  it('deletes what a batch wrote when a later batch fails', async () => {
    const communityId = await community('F');
    await imports.run(admin, String(communityId), { csv: 'area_code,grid_code,building_code,floors,units_per_floor\nA1,G01,B001,1,1\n' });
    const [area] = await nodes.find({ communityId, kind: NodeKind.Area }).lean<NodeRecord[]>();
    const fresh = (code: string): NodeRecord => ({
      _id: new Types.ObjectId(),
      communityId,
      kind: NodeKind.Grid,
      parentKey: String(area._id),
      parentId: area._id,
      areaId: area._id,
      code,
      name: code,
    });
    // The last node takes a code already used in its parent: the write fails in its third batch.
    const batch = [fresh('G10'), fresh('G11'), fresh('G12'), fresh('G13'), fresh('G01')];
    await expect(app.get(HierarchyRepository).insertInBatches(batch, 2)).rejects.toMatchObject({ code: 11000 });
    expect(await count(communityId, NodeKind.Grid)).toBe(1);
  });

  it('undoes an import the process never finished before the next import of the community', async () => {
    const communityId = await community('U');
    const runs = app.get(ImportRunsRepository);
    await runs.start({ _id: `crashed-${id}`, communityId, by: 'admin', format: 'buildings', rows: 1, startedAt: new Date() });
    const areaId = new Types.ObjectId();
    await nodes.insertMany([
      { _id: areaId, communityId, kind: NodeKind.Area, parentKey: String(communityId), parentId: communityId, code: 'A9', name: 'Half', importId: `crashed-${id}` },
    ]);
    const report = await imports.run(admin, String(communityId), {
      csv: 'area_code,grid_code,building_code,floors,units_per_floor\nA1,G01,B001,1,2\n',
    });
    expect(report).toMatchObject({ areasCreated: 1, buildingsCreated: 1, unitsCreated: 2 });
    expect((await nodes.find({ communityId, kind: NodeKind.Area }).lean()).map((a) => a.code)).toEqual(['A1']);
    expect(await runs.unfinished(communityId)).toEqual([]);
  });
});
