import { ADMIN, TestSystem, client } from './support/system';

const BUILDINGS = 50;
const FLOORS = 10;
const UNITS_PER_FLOOR = 4;

/** 2,000 units, each with an owner and an area and one or two more residents: 5,000 rows. */
function referenceFile(): string {
  const lines = ['building,unit,name,phone,id_number,relation,area'];
  let n = 0;
  for (let b = 1; b <= BUILDINGS; b++) {
    for (let floor = 1; floor <= FLOORS; floor++) {
      for (let door = 1; door <= UNITS_PER_FLOOR; door++) {
        const building = `B${String(b).padStart(3, '0')}`;
        const unit = `${floor}${String(door).padStart(2, '0')}`;
        const extra = door % 2 === 1 ? 1 : 2;
        for (let r = 0; r <= extra; r++, n++) {
          const phone = `139${String(n).padStart(8, '0')}`;
          const id = `310104${String(19600101 + (n % 28))}${String(n).padStart(4, '0')}`;
          lines.push(
            r === 0
              ? `${building},${unit},Owner ${n},${phone},${id},owner,${60 + (n % 90)}.${String(n % 100).padStart(2, '0')}`
              : `${building},${unit},"Resident ${n}, family",${phone},,family_member,`,
          );
        }
      }
    }
  }
  return lines.join('\r\n');
}

describe('importing a 5,000-row file', () => {
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
    const bulk = await admin.post(`${base()}/buildings/bulk`, {
      gridId: grid.body.id,
      buildings: Array.from({ length: BUILDINGS }, (_, i) => ({
        code: `B${String(i + 1).padStart(3, '0')}`,
        floors: FLOORS,
        unitsPerFloor: UNITS_PER_FLOOR,
      })),
    });
    expect(bulk.body.unitsCreated).toBe(BUILDINGS * FLOORS * UNITS_PER_FLOOR);
  }, 300_000);

  afterAll(async () => {
    await system.stop();
  }, 300_000);

  it('stores every row and every owner, and a second import of the file stores nothing', async () => {
    const csv = referenceFile();
    const started = Date.now();
    const first = await admin.post(`${base()}/residents/imports`, csv, { 'content-type': 'text/csv' });
    const firstMs = Date.now() - started;
    process.stdout.write(`5,000-row import: first ${firstMs} ms, ${JSON.stringify(first.body)}\n`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ rows: 5000, residentsCreated: 5000, ownershipsRecorded: 2000 });

    const again = Date.now();
    const second = await admin.post(`${base()}/residents/imports`, csv, { 'content-type': 'text/csv' });
    const secondMs = Date.now() - again;
    expect(second.body).toEqual({
      rows: 5000,
      residentsCreated: 0,
      residentsExisting: 5000,
      ownershipsRecorded: 0,
      ownershipsUnchanged: 2000,
    });
    const counts = await admin.get(`${base()}/owners/counts`);
    expect(counts.body).toMatchObject({ units: 2000, owners: 2000 });
    process.stdout.write(
      `5,000-row import (${Math.round(csv.length / 1024)} KiB): first ${firstMs} ms ` +
        `(${Math.round(5000 / (firstMs / 1000))} rows/s), again ${secondMs} ms\n`,
    );
  }, 600_000);
});
