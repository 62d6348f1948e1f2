import { Relation } from '@cg/contracts';
import { readCsv } from './csv';
import { ImportRow, planImport, readRows } from './import-rules';

const HEADER = 'building,unit,name,phone,id_number,relation,area,area_source,voter';
const UNITS: Record<string, string> = { 'B001/101': 'u101', 'B001/102': 'u102', 'B002/101': 'u201' };
const unitIdOf = (building: string, unit: string) => UNITS[`${building}/${unit}`];

function rowsOf(...lines: string[]) {
  return readRows(readCsv([[HEADER, ...lines].join('\r\n')]));
}

async function plan(lines: string[], stored: Parameters<typeof planImport>[2] = []) {
  const { rows, issues } = await rowsOf(...lines);
  expect(issues).toEqual([]);
  return planImport(rows, unitIdOf, stored);
}

describe('reading the rows of an import file', () => {
  it('reads a good owner row and a tenant row, normalising the relation, the ID number and the phone', async () => {
    const { rows, issues } = await rowsOf(
      'B001,101,"Li, Ming",138-0000-1234,11010519491231002x,owner,89.5,,yes',
      'B001,101,Wang Fang,13800005678,,租户,,,',
    );
    expect(issues).toEqual([]);
    expect(rows).toEqual<ImportRow[]>([
      {
        line: 2,
        building: 'B001',
        unit: '101',
        name: 'Li, Ming',
        phone: '13800001234',
        idNumber: '11010519491231002X',
        relation: Relation.Owner,
        areaHundredths: 8950,
        areaSource: 'register',
        voter: true,
      },
      { line: 3, building: 'B001', unit: '101', name: 'Wang Fang', phone: '13800005678', relation: Relation.Tenant, voter: false },
    ]);
  });

  it('names the line and field of every bad value', async () => {
    const { rows, issues } = await rowsOf(
      'B001,101,Li,12ab,,owner,89.50,,',
      'B001,101,Li,13800001234,123,owner,0,,',
      'B001,101,Li,13800001234,,owner,12.345,,',
      'B001,101,Li,13800001234,,owner,-5,,',
      'B001,101,Li,13800001234,,landlord,,,',
      'B001,101,Li,13800001234,,tenant,80,,',
      ',,,13800001234,,tenant,,,',
      'B001,101,Li,13800001234,,owner,,,',
    );
    expect(rows).toEqual([]);
    expect(issues.map((i) => [i.line, i.field])).toEqual([
      [2, 'phone'],
      [3, 'id_number'],
      [3, 'area'],
      [4, 'area'],
      [5, 'area'],
      [6, 'relation'],
      [7, 'area'],
      [8, 'building'],
      [8, 'unit'],
      [8, 'name'],
      [9, 'area'],
    ]);
  });

  it('refuses an ID number with a wrong check digit or birth date, naming the reason', async () => {
    const { rows, issues } = await rowsOf(
      'B001,101,Li,13800001234,310104198001011238,tenant,,,',
      'B001,101,Li,13800001235,310104198002301236,tenant,,,',
    );
    expect(rows).toEqual([]);
    expect(issues).toEqual([
      { line: 2, field: 'id_number', reason: 'has a wrong check digit' },
      { line: 3, field: 'id_number', reason: 'must hold a valid date of birth' },
    ]);
  });

  it('refuses a header with an unknown or a missing column', async () => {
    const { issues } = await readRows(readCsv(['building,unit,name,telephone,relation\nB001,101,Li,1380000,tenant']));
    expect(issues).toEqual([
      expect.objectContaining({ line: 1, field: 'telephone' }),
      expect.objectContaining({ line: 1, field: 'phone', reason: 'required column is missing' }),
    ]);
  });

  it('refuses a row with more or fewer fields than the header', async () => {
    const { issues } = await rowsOf('B001,101,Li,13800001234,,tenant');
    expect(issues).toEqual([expect.objectContaining({ line: 2, field: 'row' })]);
  });

  it('refuses an empty file and a file with only a header', async () => {
    expect((await readRows([])).issues[0].reason).toBe('the file is empty');
    expect((await rowsOf()).issues[0].reason).toBe('the file has no rows');
  });
});

describe('checking rows against each other, the units and the residents on record', () => {
  it('refuses a unit grid does not know', async () => {
    const { issues } = await plan(['B001,999,Li,13800001234,,tenant,,,', 'B009,101,Li,13800001234,,tenant,,,']);
    expect(issues).toEqual([
      { line: 2, field: 'unit', reason: 'no unit 999 in building B001 of this community' },
      { line: 3, field: 'unit', reason: 'no unit 101 in building B009 of this community' },
    ]);
  });

  it('refuses an ID number twice in the file, and one already on record for someone else', async () => {
    const { issues } = await plan(
      [
        'B001,101,Li,13800001234,310104198001011239,tenant,,,',
        'B001,102,Li Two,13800001235,310104198001011239,tenant,,,',
        'B002,101,Zhao,13800001236,310104198001015678,tenant,,,',
      ],
      [{ personId: 'p9', unitId: 'u102', phone: '13900000000', idNumber: '310104198001015678' }],
    );
    expect(issues).toEqual([
      { line: 3, field: 'id_number', reason: 'the same ID number as line 2' },
      { line: 4, field: 'id_number', reason: 'already on record for another resident' },
    ]);
  });

  it('refuses the same phone twice in one unit', async () => {
    const { issues } = await plan(['B001,101,Li,13800001234,,tenant,,,', 'B001,101,Li Again,13800001234,,family_member,,,']);
    expect(issues).toEqual([{ line: 3, field: 'phone', reason: 'the same unit and phone as line 2' }]);
  });

  it('keeps a row already on record as it is, so a second import of the file changes nothing', async () => {
    const { plan: planned, issues } = await plan(['B001,101,Li,13800001234,310104198001011239,owner,89.50,,'], [
      { personId: 'p1', unitId: 'u101', phone: '13800001234', idNumber: '310104198001011239' },
    ]);
    expect(issues).toEqual([]);
    expect(planned.residents[0]).toMatchObject({ unitId: 'u101', existingPersonId: 'p1' });
    expect(planned.ownerships).toEqual([
      expect.objectContaining({ unitId: 'u101', areaHundredths: 8950, areaSource: 'register' }),
    ]);
  });

  it('groups co-owners of a unit, who need one voter and one area', async () => {
    const good = await plan([
      'B001,101,Li,13800001234,,owner,89.50,surveyed,',
      'B001,101,Zhou,13800001235,,owner,89.50,surveyed,yes',
    ]);
    expect(good.issues).toEqual([]);
    expect(good.plan.ownerships).toHaveLength(1);
    expect(good.plan.ownerships[0].owners.map((o) => o.name)).toEqual(['Li', 'Zhou']);
    expect(good.plan.ownerships[0].voter?.name).toBe('Zhou');

    const noVoter = await plan(['B001,101,Li,13800001234,,owner,89.50,,', 'B001,101,Zhou,13800001235,,owner,89.50,,']);
    expect(noVoter.issues).toEqual([expect.objectContaining({ line: 2, field: 'voter' })]);
    const twoVoters = await plan(['B001,101,Li,13800001234,,owner,89.50,,yes', 'B001,101,Zhou,13800001235,,owner,89.50,,yes']);
    expect(twoVoters.issues).toEqual([expect.objectContaining({ line: 3, field: 'voter' })]);
    const twoAreas = await plan(['B001,101,Li,13800001234,,owner,89.50,,yes', 'B001,101,Zhou,13800001235,,owner,89.60,,']);
    expect(twoAreas.issues).toEqual([{ line: 3, field: 'area', reason: 'differs from line 2 for the same unit' }]);
  });
});
