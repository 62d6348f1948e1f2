import { parseCsv } from './csv';
import { readImportFile } from './import-rows';

const read = (text: string) => readImportFile(parseCsv(text).records);

describe('readImportFile', () => {
  it('reads one row per building and plans its units', () => {
    const { file, problems } = read(
      'area_code,area_name,grid_code,building_code,building_name,floors,units_per_floor\n' +
        'A1,North,G01,B001,"Building 1, north",6,2\n' +
        'A1,,G01,B002,,18,4\n',
    );
    expect(problems).toEqual([]);
    expect(file!.format).toBe('buildings');
    expect(file!.rows).toBe(2);
    expect(file!.areas.get('A1')).toEqual({ line: 2, code: 'A1', name: 'North' });
    expect(file!.buildings.map((b) => [b.code, b.name, b.units.length])).toEqual([
      ['B001', 'Building 1, north', 12],
      ['B002', undefined, 72],
    ]);
  });

  it('accepts column names in any case, with spaces, and their short aliases', () => {
    const { file, problems } = read('Area,GRID,Building Code,Floors,Units per floor\r\nA1,G01,B1,2,2\r\n');
    expect(problems).toEqual([]);
    expect(file!.buildings[0]).toMatchObject({ areaCode: 'A1', gridCode: 'G01', code: 'B1', floors: 2, unitsPerFloor: 2 });
  });

  it('reads one row per unit, deriving floors and units per floor', () => {
    const { file, problems } = read(
      'area_code,grid_code,building_code,unit_code,floor\nA1,G01,B1,101,1\nA1,G01,B1,102,1\nA1,G01,B1,201,2\nA1,G02,B2,1A,1\n',
    );
    expect(problems).toEqual([]);
    expect(file!.format).toBe('units');
    expect(file!.buildings.map((b) => [b.code, b.floors, b.unitsPerFloor, b.units.map((u) => u.code)])).toEqual([
      ['B1', 2, 2, ['101', '102', '201']],
      ['B2', 1, 1, ['1A']],
    ]);
  });

  it('reports every bad row with its line, field and reason', () => {
    const { file, problems } = read(
      [
        'area_code,grid_code,building_code,floors,units_per_floor',
        'A1,G01,B001,6,2',
        'A1,G01,,6,2',
        'A1,G01,B003,0,2',
        'A1,G01,B004,6,two',
        'A1,G 01,B005,6,2',
        'A1,G01,B001,6,2',
        'A1,G01,B007,6',
        'A1,G01,B008,81,31',
      ].join('\n'),
    );
    expect(file).toBeUndefined();
    expect(problems).toEqual([
      { line: 3, field: 'building_code', reason: 'is required' },
      { line: 4, field: 'floors', reason: 'must be a whole number from 1 to 80' },
      { line: 5, field: 'units_per_floor', reason: 'must be a whole number from 1 to 30' },
      { line: 6, field: 'grid_code', reason: '1-32 letters, digits, "-" or "_", starting with a letter or digit' },
      { line: 7, field: 'building_code', reason: 'building B001 is already on line 2' },
      { line: 8, field: '(row)', reason: 'has 4 fields; the header has 5' },
      { line: 9, field: 'floors', reason: 'must be a whole number from 1 to 80' },
      { line: 9, field: 'units_per_floor', reason: 'must be a whole number from 1 to 30' },
    ]);
  });

  it('refuses unknown, repeated and missing columns on the header line', () => {
    expect(read('area_code,grid,grid_code,building_code,colour\nA1,G1,G1,B1,red\n').problems).toEqual([
      { line: 1, field: 'grid_code', reason: 'column named twice' },
      { line: 1, field: 'colour', reason: 'unknown column' },
      { line: 1, field: 'floors', reason: 'missing column (needed for one row per building)' },
      { line: 1, field: 'units_per_floor', reason: 'missing column (needed for one row per building)' },
    ]);
    expect(read('').problems).toEqual([{ line: 1, field: '(file)', reason: 'the file is empty; the first line names the columns' }]);
    expect(read('area_code,grid_code,building_code,floors,units_per_floor\n').problems).toEqual([
      { line: 2, field: '(file)', reason: 'the file has no rows' },
    ]);
  });

  it('refuses a unit listed twice, a building in two grids and an area with two names', () => {
    const { problems } = read(
      [
        'area_code,area_name,grid_code,building_code,unit_code,floor',
        'A1,North,G01,B1,101,1',
        'A1,North,G01,B1,101,1',
        'A1,North,G02,B1,102,1',
        'A1,South,G01,B2,101,1',
      ].join('\r\n'),
    );
    expect(problems).toEqual([
      { line: 3, field: 'unit_code', reason: 'unit 101 of building B1 is already on line 2' },
      { line: 4, field: 'grid_code', reason: 'building B1 is in grid A1/G01 on line 2' },
      { line: 5, field: 'area_name', reason: 'area A1 is named "North" on line 2' },
    ]);
  });
});
