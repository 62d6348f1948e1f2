import { NodeKind } from '@cg/contracts';
import { Types } from 'mongoose';
import type { NodeRecord } from '../hierarchy/hierarchy.repository';
import { CsvProblem } from './csv';
import { FileBuilding, ImportFile } from './import-rows';

/** What the community holds already, as far as an import needs to know. */
export interface ExistingHierarchy {
  areas: NodeRecord[];
  grids: NodeRecord[];
  buildings: NodeRecord[];
  /** Unit codes per existing building id (needed for files of one row per unit). */
  unitCodes: Map<string, Set<string>>;
}

export interface ImportCounts {
  areasCreated: number;
  gridsCreated: number;
  buildingsCreated: number;
  unitsCreated: number;
  buildingsUnchanged: number;
}

export interface ImportPlan {
  problems: CsvProblem[];
  /** Parents before children: areas, grids, buildings, then units. */
  nodes: NodeRecord[];
  counts: ImportCounts;
}

/**
 * Decides what an import writes. Existing areas and grids are matched by code; a building the community has
 * already, in the same grid and exactly as in the file, is left alone, so importing a file twice writes
 * nothing the second time. An import never changes or moves an existing building: that is reported instead.
 */
export function planImport(
  file: ImportFile,
  existing: ExistingHierarchy,
  scope: { communityId: Types.ObjectId; importId: string },
): ImportPlan {
  const { communityId, importId } = scope;
  const problems: CsvProblem[] = [];
  const areas: NodeRecord[] = [];
  const grids: NodeRecord[] = [];
  const buildings: NodeRecord[] = [];
  const units: NodeRecord[] = [];
  let buildingsUnchanged = 0;

  const areaByCode = new Map(existing.areas.map((a) => [a.code, a]));
  const gridByKey = new Map(existing.grids.map((g) => [`${g.areaId}/${g.code}`, g]));
  const placeOf = new Map([...existing.areas, ...existing.grids].map((n) => [String(n._id), n]));
  const buildingsByCode = new Map<string, NodeRecord[]>();
  for (const b of existing.buildings) buildingsByCode.set(b.code, [...(buildingsByCode.get(b.code) ?? []), b]);

  for (const place of file.areas.values()) {
    if (areaByCode.has(place.code)) continue;
    const area: NodeRecord = {
      _id: new Types.ObjectId(),
      communityId,
      kind: NodeKind.Area,
      parentKey: String(communityId),
      parentId: communityId,
      code: place.code,
      name: place.name ?? `Area ${place.code}`,
      importId,
    };
    areas.push(area);
    areaByCode.set(place.code, area);
  }
  for (const place of file.grids.values()) {
    const area = areaByCode.get(place.areaCode)!;
    const key = `${area._id}/${place.code}`;
    if (gridByKey.has(key)) continue;
    const grid: NodeRecord = {
      _id: new Types.ObjectId(),
      communityId,
      kind: NodeKind.Grid,
      parentKey: String(area._id),
      parentId: area._id,
      areaId: area._id,
      code: place.code,
      name: place.name ?? `Grid ${place.code}`,
      importId,
    };
    grids.push(grid);
    gridByKey.set(key, grid);
  }

  for (const spec of file.buildings) {
    const area = areaByCode.get(spec.areaCode)!;
    const grid = gridByKey.get(`${area._id}/${spec.gridCode}`)!;
    const already = buildingsByCode.get(spec.code) ?? [];
    const here = already.find((b) => String(b.gridId) === String(grid._id));
    if (here) {
      const difference = differs(spec, here, existing.unitCodes.get(String(here._id)), file.format);
      if (difference) problems.push(difference);
      else buildingsUnchanged++;
      continue;
    }
    if (already.length > 0) {
      const other = already[0];
      const where = `${placeOf.get(String(other.areaId))?.code}/${placeOf.get(String(other.gridId))?.code}`;
      problems.push({
        line: spec.line,
        field: 'grid_code',
        reason: `building ${spec.code} is already in grid ${where}; an import does not move buildings`,
      });
      continue;
    }
    const building: NodeRecord = {
      _id: new Types.ObjectId(),
      communityId,
      kind: NodeKind.Building,
      parentKey: String(grid._id),
      parentId: grid._id,
      areaId: area._id,
      gridId: grid._id,
      code: spec.code,
      name: spec.name ?? `Building ${spec.code}`,
      floors: spec.floors,
      unitsPerFloor: spec.unitsPerFloor,
      ...(file.format === 'units' && { unitCount: spec.units.length }),
      importId,
    };
    buildings.push(building);
    for (const unit of spec.units) {
      units.push({
        _id: new Types.ObjectId(),
        communityId,
        kind: NodeKind.Unit,
        parentKey: String(building._id),
        parentId: building._id,
        areaId: area._id,
        gridId: grid._id,
        buildingId: building._id,
        buildingCode: spec.code,
        code: unit.code,
        name: `${spec.code}-${unit.code}`,
        floor: unit.floor,
        importId,
      });
    }
  }

  problems.sort((a, b) => a.line - b.line);
  return {
    problems,
    nodes: problems.length > 0 ? [] : [...areas, ...grids, ...buildings, ...units],
    counts: {
      areasCreated: areas.length,
      gridsCreated: grids.length,
      buildingsCreated: buildings.length,
      unitsCreated: units.length,
      buildingsUnchanged,
    },
  };
}

function differs(spec: FileBuilding, here: NodeRecord, unitCodes: Set<string> | undefined, format: ImportFile['format']): CsvProblem | undefined {
  if (format === 'buildings') {
    if (here.floors === spec.floors && here.unitsPerFloor === spec.unitsPerFloor) return undefined;
    return {
      line: spec.line,
      field: 'floors',
      reason: `building ${spec.code} exists with ${here.floors} floors and ${here.unitsPerFloor} units per floor; an import does not change existing buildings`,
    };
  }
  const codes = unitCodes ?? new Set<string>();
  if (codes.size === spec.units.length && spec.units.every((u) => codes.has(u.code))) return undefined;
  return {
    line: spec.line,
    field: 'unit_code',
    reason: `building ${spec.code} exists with ${codes.size} units that differ from the file; an import does not change existing buildings`,
  };
}
