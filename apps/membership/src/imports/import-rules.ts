import { AREA_PATTERN, AreaSource, IMPORT_COLUMNS, ImportIssue, Relation, idNumberProblem } from '@cg/contracts';
import { parseHundredths } from '../quantities/hundredths';
import { CsvRecord } from './csv';

const PHONE = /^\+?[0-9]{5,20}$/;
const REQUIRED = ['building', 'unit', 'name', 'phone', 'relation'] as const;
const RELATIONS: Record<string, Relation> = {
  owner: Relation.Owner,
  业主: Relation.Owner,
  tenant: Relation.Tenant,
  租户: Relation.Tenant,
  family_member: Relation.FamilyMember,
  家庭成员: Relation.FamilyMember,
};
const SOURCES: Record<string, AreaSource> = { register: 'register', surveyed: 'surveyed', contract: 'contract' };
const YES = new Set(['yes', 'y', 'true', '1', '是']);
const NO = new Set(['', 'no', 'n', 'false', '0', '否']);

type Column = (typeof IMPORT_COLUMNS)[number];

/** A row whose fields are each well-formed; whether its unit exists and its numbers are unique comes after. */
export interface ImportRow {
  line: number;
  building: string;
  unit: string;
  name: string;
  phone: string;
  idNumber?: string;
  relation: Relation;
  areaHundredths?: number;
  areaSource?: AreaSource;
  voter: boolean;
}

/**
 * Reads the header and checks every row's fields on their own, record by record as they are read: only the checked
 * rows are kept. `rowCount` counts every record after the header.
 */
export async function readRows(
  records: AsyncIterable<CsvRecord> | Iterable<CsvRecord>,
): Promise<{ rows: ImportRow[]; issues: ImportIssue[]; rowCount: number }> {
  const issues: ImportIssue[] = [];
  const rows: ImportRow[] = [];
  let header: CsvRecord | undefined;
  let headerOk = false;
  let rowCount = 0;
  const columns = new Map<Column, number>();
  for await (const record of records) {
    if (!header) {
      header = record;
      headerOk = readHeader(header, columns, issues);
      continue;
    }
    rowCount += 1;
    if (headerOk) checkRow(record, header, columns, issues, rows);
  }
  if (!header) return { rows, issues: [{ line: 1, field: 'file', reason: 'the file is empty' }], rowCount };
  if (headerOk && rowCount === 0) issues.push({ line: header.line, field: 'file', reason: 'the file has no rows' });
  return { rows, issues, rowCount };
}

function readHeader(header: CsvRecord, columns: Map<Column, number>, issues: ImportIssue[]): boolean {
  header.fields.forEach((raw, index) => {
    const name = raw.trim().toLowerCase() as Column;
    if (!IMPORT_COLUMNS.includes(name)) {
      issues.push({ line: header.line, field: raw, reason: `unknown column; expected ${IMPORT_COLUMNS.join(', ')}` });
    } else if (columns.has(name)) {
      issues.push({ line: header.line, field: raw, reason: 'column appears twice' });
    } else {
      columns.set(name, index);
    }
  });
  for (const name of REQUIRED) {
    if (!columns.has(name)) issues.push({ line: header.line, field: name, reason: 'required column is missing' });
  }
  return issues.length === 0;
}

function checkRow(record: CsvRecord, header: CsvRecord, columns: Map<Column, number>, issues: ImportIssue[], rows: ImportRow[]): void {
  const before = issues.length;
  const problem = (field: string, reason: string) => issues.push({ line: record.line, field, reason });
  if (record.fields.length !== header.fields.length) {
    problem('row', `has ${record.fields.length} fields; the header has ${header.fields.length}`);
    return;
  }
  const value = (name: Column) => {
    const index = columns.get(name);
    return index === undefined ? '' : record.fields[index].trim();
  };
  const building = value('building');
  const unit = value('unit');
  const name = value('name');
  const phone = value('phone').replace(/[\s-]/g, '');
  const idNumber = value('id_number').toUpperCase();
  const relation = RELATIONS[value('relation').toLowerCase()];
  const area = value('area');
  const source = value('area_source').toLowerCase();
  const voter = value('voter').toLowerCase();
  if (!building) problem('building', 'required');
  if (!unit) problem('unit', 'required');
  if (!name) problem('name', 'required');
  else if (name.length > 100) problem('name', 'at most 100 characters');
  if (!PHONE.test(phone)) problem('phone', 'must be 5-20 digits, optionally with a leading +');
  const idProblem = idNumber ? idNumberProblem(idNumber) : undefined;
  if (idProblem) problem('id_number', idProblem);
  if (!relation) problem('relation', 'must be owner, tenant or family_member');
  if (relation === Relation.Owner) {
    if (!area) problem('area', 'required on an owner row: the exclusive floor area in m²');
    else if (!AREA_PATTERN.test(area)) problem('area', 'must be a positive number of m² with at most two decimals');
  } else if (relation && area) {
    problem('area', 'only owner rows carry an area');
  }
  if (source && !SOURCES[source]) problem('area_source', 'must be register, surveyed or contract');
  if (!YES.has(voter) && !NO.has(voter)) problem('voter', 'must be yes or left empty');
  else if (YES.has(voter) && relation && relation !== Relation.Owner) problem('voter', 'only an owner votes for a unit');
  if (issues.length > before) return;
  rows.push({
    line: record.line,
    building,
    unit,
    name,
    phone,
    ...(idNumber && { idNumber }),
    relation,
    ...(relation === Relation.Owner && { areaHundredths: parseHundredths(area), areaSource: SOURCES[source || 'register'] }),
    voter: YES.has(voter),
  });
}

/** A resident already on record: its unit, phone and ID number. */
export interface StoredIdentity {
  personId: string;
  unitId: string;
  phone: string;
  idNumber?: string;
}

export interface PlannedResident extends ImportRow {
  unitId: string;
  /** Set when the same unit and phone is already on record: the row is not stored again. */
  existingPersonId?: string;
}

export interface PlannedOwnership {
  unitId: string;
  /** Rows of the owners of record, in file order. */
  owners: PlannedResident[];
  voter?: PlannedResident;
  areaHundredths: number;
  areaSource: AreaSource;
}

export interface ImportPlan {
  residents: PlannedResident[];
  ownerships: PlannedOwnership[];
}

/** Key of a resident within a community: the unique index on community, unit and phone. */
export const residentKey = (unitId: string, phone: string) => `${unitId}:${phone}`;

/**
 * Checks rows against each other, the units grid knows and the residents already on record. A row already on
 * record (same unit and phone) is kept as it is, so importing the same file again changes nothing.
 */
export function planImport(
  rows: ImportRow[],
  unitIdOf: (building: string, unit: string) => string | undefined,
  stored: Iterable<StoredIdentity>,
): { plan: ImportPlan; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const storedByKey = new Map<string, StoredIdentity>();
  const storedById = new Map<string, StoredIdentity>();
  for (const s of stored) {
    storedByKey.set(residentKey(s.unitId, s.phone), s);
    if (s.idNumber) storedById.set(s.idNumber, s);
  }
  const lineByKey = new Map<string, number>();
  const lineById = new Map<string, number>();
  const residents: PlannedResident[] = [];
  for (const row of rows) {
    const problem = (field: string, reason: string) => issues.push({ line: row.line, field, reason });
    const unitId = unitIdOf(row.building, row.unit);
    if (!unitId) {
      problem('unit', `no unit ${row.unit} in building ${row.building} of this community`);
      continue;
    }
    const key = residentKey(unitId, row.phone);
    const existing = storedByKey.get(key);
    let ok = true;
    if (lineByKey.has(key)) {
      problem('phone', `the same unit and phone as line ${lineByKey.get(key)}`);
      ok = false;
    } else lineByKey.set(key, row.line);
    if (row.idNumber) {
      const holder = storedById.get(row.idNumber);
      if (lineById.has(row.idNumber)) {
        problem('id_number', `the same ID number as line ${lineById.get(row.idNumber)}`);
        ok = false;
      } else if (holder && residentKey(holder.unitId, holder.phone) !== key) {
        problem('id_number', 'already on record for another resident');
        ok = false;
      } else lineById.set(row.idNumber, row.line);
    }
    if (ok) residents.push({ ...row, unitId, ...(existing && { existingPersonId: existing.personId }) });
  }

  const ownersByUnit = new Map<string, PlannedResident[]>();
  for (const resident of residents) {
    if (resident.relation !== Relation.Owner) continue;
    ownersByUnit.set(resident.unitId, [...(ownersByUnit.get(resident.unitId) ?? []), resident]);
  }
  const ownerships: PlannedOwnership[] = [];
  for (const [unitId, owners] of ownersByUnit) {
    const [first] = owners;
    const where = `unit ${first.unit} of building ${first.building}`;
    let ok = true;
    for (const other of owners.slice(1)) {
      if (other.areaHundredths !== first.areaHundredths || other.areaSource !== first.areaSource) {
        issues.push({ line: other.line, field: 'area', reason: `differs from line ${first.line} for the same unit` });
        ok = false;
      }
    }
    const voters = owners.filter((o) => o.voter);
    if (owners.length > 1 && voters.length === 0) {
      issues.push({
        line: first.line,
        field: 'voter',
        reason: `co-owners of ${where} (lines ${owners.map((o) => o.line).join(', ')}) need one row with voter=yes`,
      });
      ok = false;
    }
    for (const extra of voters.slice(1)) {
      issues.push({ line: extra.line, field: 'voter', reason: `${where} already has its voter on line ${voters[0].line}` });
      ok = false;
    }
    if (ok) {
      ownerships.push({
        unitId,
        owners,
        ...(voters[0] && { voter: voters[0] }),
        areaHundredths: first.areaHundredths!,
        areaSource: first.areaSource!,
      });
    }
  }
  issues.sort((a, b) => a.line - b.line);
  return { plan: { residents, ownerships }, issues };
}
