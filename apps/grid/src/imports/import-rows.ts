import { UnitPlan, planUnits } from '../hierarchy/unit-codes';
import { CsvProblem, CsvRecord } from './csv';

export type ImportFormat = 'buildings' | 'units';

/** A building as the file describes it, whichever the format. */
export interface FileBuilding {
  /** Line of its (first) row. */
  line: number;
  areaCode: string;
  gridCode: string;
  code: string;
  name?: string;
  floors: number;
  unitsPerFloor: number;
  units: UnitPlan[];
}

export interface FilePlace {
  line: number;
  code: string;
  name?: string;
}

export interface ImportFile {
  format: ImportFormat;
  rows: number;
  areas: Map<string, FilePlace>;
  /** Keyed `<areaCode>/<gridCode>`: grid codes are unique within their residential area. */
  grids: Map<string, FilePlace & { areaCode: string }>;
  buildings: FileBuilding[];
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const MAX_FLOORS = 80;
const MAX_UNITS_PER_FLOOR = 30;

type Column =
  | 'area_code'
  | 'area_name'
  | 'grid_code'
  | 'grid_name'
  | 'building_code'
  | 'building_name'
  | 'floors'
  | 'units_per_floor'
  | 'unit_code'
  | 'floor';

const ALIASES: Record<string, Column> = {
  area_code: 'area_code',
  area: 'area_code',
  area_name: 'area_name',
  grid_code: 'grid_code',
  grid: 'grid_code',
  grid_name: 'grid_name',
  building_code: 'building_code',
  building: 'building_code',
  building_name: 'building_name',
  floors: 'floors',
  units_per_floor: 'units_per_floor',
  doors_per_floor: 'units_per_floor',
  unit_code: 'unit_code',
  unit: 'unit_code',
  floor: 'floor',
};

const REQUIRED: Record<ImportFormat, Column[]> = {
  buildings: ['area_code', 'grid_code', 'building_code', 'floors', 'units_per_floor'],
  units: ['area_code', 'grid_code', 'building_code', 'unit_code', 'floor'],
};

const normalise = (name: string) => name.trim().toLowerCase().replace(/[\s-]+/g, '_');

/**
 * Reads the header and every row: codes, names and numbers checked row by row, then the rows checked against
 * each other (a building listed twice, one building placed in two grids, one area given two names).
 */
export function readImportFile(records: CsvRecord[]): { file?: ImportFile; problems: CsvProblem[] } {
  const problems: CsvProblem[] = [];
  const [header, ...rows] = records;
  if (!header) return { problems: [{ line: 1, field: '(file)', reason: 'the file is empty; the first line names the columns' }] };
  const index = new Map<Column, number>();
  header.fields.forEach((raw, i) => {
    const column = ALIASES[normalise(raw)];
    if (!column) problems.push({ line: header.line, field: raw, reason: 'unknown column' });
    else if (index.has(column)) problems.push({ line: header.line, field: raw, reason: 'column named twice' });
    else index.set(column, i);
  });
  const format: ImportFormat = index.has('unit_code') ? 'units' : 'buildings';
  for (const column of REQUIRED[format]) {
    if (!index.has(column)) problems.push({ line: header.line, field: column, reason: `missing column (needed for one row per ${format === 'units' ? 'unit' : 'building'})` });
  }
  if (problems.length > 0) return { problems };
  if (rows.length === 0) return { problems: [{ line: header.line + 1, field: '(file)', reason: 'the file has no rows' }] };

  const areas = new Map<string, FilePlace>();
  const grids = new Map<string, FilePlace & { areaCode: string }>();
  const buildings = new Map<string, FileBuilding>();
  const unitLines = new Map<string, number>();

  for (const row of rows) {
    const before = problems.length;
    const bad = (field: string, reason: string) => problems.push({ line: row.line, field, reason });
    if (row.fields.length !== header.fields.length) {
      bad('(row)', `has ${row.fields.length} fields; the header has ${header.fields.length}`);
      continue;
    }
    const value = (column: Column) => (index.has(column) ? row.fields[index.get(column)!].trim() : '');
    const code = (column: Column) => {
      const v = value(column);
      if (v === '') bad(column, 'is required');
      else if (!CODE.test(v)) bad(column, '1-32 letters, digits, "-" or "_", starting with a letter or digit');
      return v;
    };
    const name = (column: Column) => {
      const v = value(column);
      if (v.length > 100) bad(column, 'at most 100 characters');
      return v || undefined;
    };
    const whole = (column: Column, max: number) => {
      const v = value(column);
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < 1 || n > max) bad(column, `must be a whole number from 1 to ${max}`);
      return n;
    };
    const areaCode = code('area_code');
    const gridCode = code('grid_code');
    const buildingCode = code('building_code');
    const areaName = name('area_name');
    const gridName = name('grid_name');
    const buildingName = name('building_name');
    const spec: { floors: number; unitsPerFloor: number } | { unitCode: string; floor: number } =
      format === 'buildings'
        ? { floors: whole('floors', MAX_FLOORS), unitsPerFloor: whole('units_per_floor', MAX_UNITS_PER_FLOOR) }
        : { unitCode: code('unit_code'), floor: whole('floor', MAX_FLOORS) };
    if (problems.length > before) continue;

    const area = areas.get(areaCode);
    if (!area) areas.set(areaCode, { line: row.line, code: areaCode, ...(areaName && { name: areaName }) });
    else if (areaName && area.name && area.name !== areaName) bad('area_name', `area ${areaCode} is named "${area.name}" on line ${area.line}`);
    else if (areaName && !area.name) area.name = areaName;
    const gridKey = `${areaCode}/${gridCode}`;
    const grid = grids.get(gridKey);
    if (!grid) grids.set(gridKey, { line: row.line, code: gridCode, areaCode, ...(gridName && { name: gridName }) });
    else if (gridName && grid.name && grid.name !== gridName) bad('grid_name', `grid ${gridCode} is named "${grid.name}" on line ${grid.line}`);
    else if (gridName && !grid.name) grid.name = gridName;

    const known = buildings.get(buildingCode);
    if ('floors' in spec) {
      if (known) {
        bad('building_code', `building ${buildingCode} is already on line ${known.line}`);
        continue;
      }
      buildings.set(buildingCode, {
        line: row.line,
        areaCode,
        gridCode,
        code: buildingCode,
        ...(buildingName && { name: buildingName }),
        floors: spec.floors,
        unitsPerFloor: spec.unitsPerFloor,
        units: planUnits(spec.floors, spec.unitsPerFloor),
      });
      continue;
    }
    if (known && (known.areaCode !== areaCode || known.gridCode !== gridCode)) {
      bad('grid_code', `building ${buildingCode} is in grid ${known.areaCode}/${known.gridCode} on line ${known.line}`);
      continue;
    }
    if (known && buildingName && known.name && known.name !== buildingName) {
      bad('building_name', `building ${buildingCode} is named "${known.name}" on line ${known.line}`);
      continue;
    }
    const unitKey = `${buildingCode}/${spec.unitCode}`;
    if (unitLines.has(unitKey)) {
      bad('unit_code', `unit ${spec.unitCode} of building ${buildingCode} is already on line ${unitLines.get(unitKey)}`);
      continue;
    }
    unitLines.set(unitKey, row.line);
    const building =
      known ??
      buildings
        .set(buildingCode, { line: row.line, areaCode, gridCode, code: buildingCode, floors: 0, unitsPerFloor: 0, units: [] })
        .get(buildingCode)!;
    if (buildingName && !building.name) building.name = buildingName;
    building.units.push({ code: spec.unitCode, floor: spec.floor });
  }

  if (format === 'units') {
    for (const building of buildings.values()) {
      const perFloor = new Map<number, number>();
      for (const unit of building.units) perFloor.set(unit.floor, (perFloor.get(unit.floor) ?? 0) + 1);
      building.floors = Math.max(...perFloor.keys());
      building.unitsPerFloor = Math.max(...perFloor.values());
    }
  }
  return problems.length > 0
    ? { problems }
    : { file: { format, rows: rows.length, areas, grids, buildings: [...buildings.values()] }, problems };
}
