import { ADMIN, TestSystem, client, importResidents } from './support/system';

/**
 * A reference estate (DOMAIN.md): 286 buildings, 12,500 households, 40,000 residents, imported from one file.
 * 284 buildings of 11 floors x 4 units and two small buildings of 2 units make 12,500 units; every unit has an owner
 * with an exclusive area, every other unit a co-owner (one of the two votes), the rest are family members and
 * tenants up to 40,000 rows.
 */
const BUILDINGS = 286;
const UNITS = 12_500;
const RESIDENTS = 40_000;

function buildingShapes() {
  return Array.from({ length: BUILDINGS }, (_, i) => ({
    code: `B${String(i + 1).padStart(3, '0')}`,
    floors: i < BUILDINGS - 2 ? 11 : 1,
    unitsPerFloor: i < BUILDINGS - 2 ? 4 : 2,
  }));
}

function referenceFile(): { csv: string; coOwnedUnits: number } {
  const units: { building: string; unit: string }[] = [];
  for (const b of buildingShapes()) {
    for (let floor = 1; floor <= b.floors; floor++) {
      for (let door = 1; door <= b.unitsPerFloor; door++) {
        units.push({ building: b.code, unit: `${floor}${String(door).padStart(2, '0')}` });
      }
    }
  }
  expect(units).toHaveLength(UNITS);
  const lines = ['building,unit,name,phone,id_number,relation,area,area_source,voter'];
  let n = 0;
  const phone = () => `139${String(n).padStart(8, '0')}`;
  const idNumber = () => `310104${String(19500101 + (n % 28))}${String(n).padStart(4, '0').slice(-4)}`;
  let coOwnedUnits = 0;
  units.forEach((u, i) => {
    const area = `${60 + (i % 90)}.${String(i % 100).padStart(2, '0')}`;
    const coOwned = i % 2 === 0;
    lines.push(`${u.building},${u.unit},Owner ${n},${phone()},${idNumber()},owner,${area},register,${coOwned ? 'yes' : ''}`);
    n++;
    if (coOwned) {
      coOwnedUnits++;
      lines.push(`${u.building},${u.unit},"Co-owner ${n}, spouse",${phone()},,owner,${area},register,`);
      n++;
    }
  });
  for (let i = 0; n < RESIDENTS; i++, n++) {
    const u = units[i % UNITS];
    lines.push(`${u.building},${u.unit},Resident ${n},${phone()},,${i % 5 === 0 ? 'tenant' : 'family_member'},,,`);
  }
  return { csv: `${lines.join('\r\n')}\r\n`, coOwnedUnits };
}

describe('importing a reference-size estate: 12,500 units, 40,000 residents in one file', () => {
  const system = new TestSystem();
  let admin: ReturnType<typeof client>;
  let communityId: string;
  const base = () => `/api/v1/communities/${communityId}`;

  beforeAll(async () => {
    await system.start();
    const token = (await client(system.baseUrl).post('/api/v1/auth/login', ADMIN)).body.accessToken;
    admin = client(system.baseUrl, token);
    communityId = (
      await admin.post('/api/v1/communities', { code: `R${system.id}`, name: 'K', district: 'Xuhui', street: 'Kangjian' })
    ).body.id;
    const area = await admin.post(`${base()}/areas`, { code: 'A1', name: 'Area 1' });
    const grid = await admin.post(`${base()}/grids`, { areaId: area.body.id, code: 'G01', name: 'Grid 1' });
    const bulk = await admin.post(`${base()}/buildings/bulk`, { gridId: grid.body.id, buildings: buildingShapes() });
    expect(bulk.body.unitsCreated).toBe(UNITS);
  }, 300_000);

  afterAll(async () => {
    await system.stop();
  }, 300_000);

  it('stores every resident and every unit owner; importing the file again stores nothing', async () => {
    const { csv, coOwnedUnits } = referenceFile();
    const started = Date.now();
    const first = await importResidents(admin, communityId, csv, { timeoutMs: 900_000 });
    const firstMs = Date.now() - started;
    expect(first.body.status).toBe('completed');
    expect(first.body.report).toEqual({
      rows: RESIDENTS,
      residentsCreated: RESIDENTS,
      residentsExisting: 0,
      ownershipsRecorded: UNITS,
      ownershipsUnchanged: 0,
    });

    const again = Date.now();
    const second = await importResidents(admin, communityId, csv, { timeoutMs: 900_000 });
    const secondMs = Date.now() - again;
    expect(second.body.status).toBe('completed');
    expect(second.body.report).toEqual({
      rows: RESIDENTS,
      residentsCreated: 0,
      residentsExisting: RESIDENTS,
      ownershipsRecorded: 0,
      ownershipsUnchanged: UNITS,
    });
    const counts = await admin.get(`${base()}/owners/counts`);
    expect(counts.body).toMatchObject({ units: UNITS, owners: UNITS });
    expect(coOwnedUnits).toBe(UNITS / 2);
    process.stdout.write(
      `reference import (${Math.round(csv.length / 1024)} KiB): first ${firstMs} ms ` +
        `(${Math.round(RESIDENTS / (firstMs / 1000))} rows/s), again ${secondMs} ms\n`,
    );
  }, 1_200_000);
});
