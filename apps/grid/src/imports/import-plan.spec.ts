import { NodeKind } from '@cg/contracts';
import { Types } from 'mongoose';
import type { NodeRecord } from '../hierarchy/hierarchy.repository';
import { parseCsv } from './csv';
import { ExistingHierarchy, planImport } from './import-plan';
import { readImportFile } from './import-rows';

const communityId = new Types.ObjectId();
const scope = { communityId, importId: 'run-1' };

function fileOf(text: string) {
  const { file, problems } = readImportFile(parseCsv(text).records);
  expect(problems).toEqual([]);
  return file!;
}

const nothing: ExistingHierarchy = { areas: [], grids: [], buildings: [], unitCodes: new Map() };

/** What the community would hold after writing a plan: the next import's view of it. */
function afterWriting(nodes: NodeRecord[]): ExistingHierarchy {
  const unitCodes = new Map<string, Set<string>>();
  for (const u of nodes.filter((n) => n.kind === NodeKind.Unit)) {
    unitCodes.set(String(u.buildingId), (unitCodes.get(String(u.buildingId)) ?? new Set()).add(u.code));
  }
  return {
    areas: nodes.filter((n) => n.kind === NodeKind.Area),
    grids: nodes.filter((n) => n.kind === NodeKind.Grid),
    buildings: nodes.filter((n) => n.kind === NodeKind.Building),
    unitCodes,
  };
}

const BUILDINGS = 'area_code,grid_code,grid_name,building_code,floors,units_per_floor\nA1,G01,East,B1,2,2\nA1,G02,,B2,3,1\nA2,G01,,B3,1,1\n';

describe('planImport', () => {
  it('creates named areas and grids that are missing, parents first, every node tagged with the run', () => {
    const plan = planImport(fileOf(BUILDINGS), nothing, scope);
    expect(plan.problems).toEqual([]);
    expect(plan.counts).toEqual({ areasCreated: 2, gridsCreated: 3, buildingsCreated: 3, unitsCreated: 8, buildingsUnchanged: 0 });
    expect(plan.nodes.map((n) => n.kind)).toEqual([
      'area', 'area', 'grid', 'grid', 'grid', 'building', 'building', 'building', ...Array(8).fill('unit'),
    ]);
    expect(plan.nodes.every((n) => n.importId === 'run-1' && String(n.communityId) === String(communityId))).toBe(true);
    const [a1, , g01] = plan.nodes;
    expect(g01).toMatchObject({ code: 'G01', name: 'East', parentKey: String(a1._id), areaId: a1._id });
    const b1 = plan.nodes.find((n) => n.code === 'B1')!;
    expect(b1).toMatchObject({ parentKey: String(g01._id), gridId: g01._id, areaId: a1._id, floors: 2, unitsPerFloor: 2 });
    expect(plan.nodes.filter((n) => String(n.buildingId) === String(b1._id)).map((n) => n.name)).toEqual([
      'B1-101', 'B1-102', 'B1-201', 'B1-202',
    ]);
  });

  it('writes nothing when the same file comes again', () => {
    const first = planImport(fileOf(BUILDINGS), nothing, scope);
    const again = planImport(fileOf(BUILDINGS), afterWriting(first.nodes), { communityId, importId: 'run-2' });
    expect(again.problems).toEqual([]);
    expect(again.nodes).toEqual([]);
    expect(again.counts).toEqual({ areasCreated: 0, gridsCreated: 0, buildingsCreated: 0, unitsCreated: 0, buildingsUnchanged: 3 });
  });

  it('adds only what is new and uses the areas and grids already there', () => {
    const first = planImport(fileOf(BUILDINGS), nothing, scope);
    const more = planImport(fileOf(`${BUILDINGS}A1,G01,,B4,1,2\n`), afterWriting(first.nodes), scope);
    expect(more.counts).toMatchObject({ areasCreated: 0, gridsCreated: 0, buildingsCreated: 1, unitsCreated: 2, buildingsUnchanged: 3 });
    const g01 = first.nodes.find((n) => n.kind === NodeKind.Grid && n.code === 'G01' && n.name === 'East')!;
    expect(more.nodes[0]).toMatchObject({ code: 'B4', gridId: g01._id });
  });

  it('refuses to change or move an existing building, on the line of its row', () => {
    const first = planImport(fileOf(BUILDINGS), nothing, scope);
    const changed = planImport(
      fileOf('area_code,grid_code,building_code,floors,units_per_floor\nA1,G01,B1,3,2\nA1,G01,B2,3,1\nA2,G01,B9,1,1\n'),
      afterWriting(first.nodes),
      scope,
    );
    expect(changed.nodes).toEqual([]);
    expect(changed.problems).toEqual([
      { line: 2, field: 'floors', reason: 'building B1 exists with 2 floors and 2 units per floor; an import does not change existing buildings' },
      { line: 3, field: 'grid_code', reason: 'building B2 is already in grid A1/G02; an import does not move buildings' },
    ]);
  });

  it('compares units one by one for a file of one row per unit', () => {
    const units = 'area_code,grid_code,building_code,unit_code,floor\nA1,G01,B1,101,1\nA1,G01,B1,201,2\n';
    const first = planImport(fileOf(units), nothing, scope);
    expect(first.nodes.find((n) => n.kind === NodeKind.Building)).toMatchObject({ floors: 2, unitsPerFloor: 1, unitCount: 2 });
    const existing = afterWriting(first.nodes);
    expect(planImport(fileOf(units), existing, scope).counts.buildingsUnchanged).toBe(1);
    const other = planImport(fileOf(`${units}A1,G01,B1,301,3\n`), existing, scope);
    expect(other.problems).toEqual([
      { line: 2, field: 'unit_code', reason: 'building B1 exists with 2 units that differ from the file; an import does not change existing buildings' },
    ]);
  });
});
