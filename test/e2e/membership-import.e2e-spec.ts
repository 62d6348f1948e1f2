import { ErrorCode, EventEnvelope, MembershipOwnerEvents, OwnershipRecordedData } from '@cg/contracts';
import { DurableConsumers } from '@cg/messaging';
import { eventually } from '@cg/testing';
import { ADMIN, TestSystem, client, importResidents } from './support/system';

const HEADER = 'building,unit,name,phone,id_number,relation,area,area_source,voter';

describe('bulk import of residents and owners from a CSV file through the gateway', () => {
  const system = new TestSystem();
  let admin: ReturnType<typeof client>;
  let communityId: string;
  const recorded: EventEnvelope<OwnershipRecordedData>[] = [];
  const base = () => `/api/v1/communities/${communityId}`;

  const importCsv = (csv: string) => importResidents(admin, communityId, csv);
  const allResidents = async () => {
    const items: { name: string; unitId: string; relation: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin.get(`${base()}/residents?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  };

  beforeAll(async () => {
    await system.start();
    await system.membership!.get(DurableConsumers).start({
      durable: `e2e-import-owners-${system.id}`,
      event: MembershipOwnerEvents.ownershipRecorded,
      handle: async (event) => {
        if (event.communityId === communityId) recorded.push(event);
      },
    });
    const token = (await client(system.baseUrl).post('/api/v1/auth/login', ADMIN)).body.accessToken;
    admin = client(system.baseUrl, token);
    communityId = (
      await admin.post('/api/v1/communities', { code: `I${system.id}`, name: 'K', district: 'Xuhui', street: 'Kangjian' })
    ).body.id;
    const area = await admin.post(`${base()}/areas`, { code: 'A1', name: 'Area 1' });
    const grid = await admin.post(`${base()}/grids`, { areaId: area.body.id, code: 'G01', name: 'Grid 1' });
    const bulk = await admin.post(`${base()}/buildings/bulk`, {
      gridId: grid.body.id,
      buildings: [
        { code: 'B001', floors: 2, unitsPerFloor: 2 },
        { code: 'B002', floors: 2, unitsPerFloor: 2 },
      ],
    });
    expect(bulk.status).toBe(201);
  });

  afterAll(async () => {
    await system.stop();
  });

  it('rejects a file with bad rows, lists every one of them, and stores nothing', async () => {
    const csv = [
      HEADER,
      'B001,101,Li Ming,13800001234,310104198001011239,owner,89.50,,',
      'B001,999,Wang Fang,13800001235,,tenant,,,',
      'B002,101,Zhao Lei,13800001236,310104198001011239,owner,75,,',
      'B002,102,Sun Li,1380000abcd,,tenant,,,',
      'B002,201,Zhou Qi,13800001238,,owner,-3,,',
      'B002,202,Wu Hua,13800001239,,owner,12.345,,',
    ].join('\r\n');
    const res = await importCsv(csv);
    expect(res.body).toMatchObject({ status: 'rejected', rows: 6, errorCount: 5, attempts: 1 });
    expect(res.body.message).toMatch(/5 problems on 5 of 7 lines/);
    expect(res.body.report).toBeUndefined();
    expect(res.body.errors).toEqual([
      { line: 3, field: 'unit', reason: 'no unit 999 in building B001 of this community' },
      { line: 4, field: 'id_number', reason: 'the same ID number as line 2' },
      { line: 5, field: 'phone', reason: expect.any(String) },
      { line: 6, field: 'area', reason: expect.any(String) },
      { line: 7, field: 'area', reason: expect.any(String) },
    ]);
    expect(await allResidents()).toEqual([]);
    const owners = await admin.get(`${base()}/owners/counts`);
    expect(owners.body).toEqual({ units: 0, owners: 0, totalArea: '0.00' });
  });

  it('imports a good file once; importing it again changes nothing', async () => {
    // A spreadsheet export: byte-order mark, CRLF, quoted names with commas, co-owners with one voter.
    const csv =
      '\uFEFF' +
      [
        HEADER,
        'B001,101,"Li, Ming",13800001234,310104198001011239,owner,89.50,,',
        'B001,101,Wang Fang,13800001235,,family_member,,,',
        'B001,102,Zhao Lei,13800001236,310104198001015678,owner,100.33,surveyed,',
        'B001,102,Qian Yu,13800001237,,owner,100.33,surveyed,yes',
        'B002,201,"Sun ""Xiao"" Li",13800001238,,tenant,,,',
      ].join('\r\n') +
      '\r\n';
    const first = await importCsv(csv);
    expect(first.body.status).toBe('completed');
    expect(first.body.report).toEqual({
      rows: 5,
      residentsCreated: 5,
      residentsExisting: 0,
      ownershipsRecorded: 2,
      ownershipsUnchanged: 0,
    });
    const residents = await allResidents();
    expect(residents.map((r) => r.name).sort()).toEqual(['Li, Ming', 'Qian Yu', 'Sun "Xiao" Li', 'Wang Fang', 'Zhao Lei']);
    const counts = await admin.get(`${base()}/owners/counts`);
    expect(counts.body).toEqual({ units: 2, owners: 2, totalArea: '189.83' });
    const register = await admin.get(`${base()}/owners`);
    const couple = register.body.items.find((o: { exclusiveArea: string }) => o.exclusiveArea === '100.33');
    expect(couple).toMatchObject({ areaSource: 'surveyed', revision: 1 });
    expect(couple.owners.map((o: { name: string }) => o.name).sort()).toEqual(['Qian Yu', 'Zhao Lei']);
    const voter = couple.owners.find((o: { name: string }) => o.name === 'Qian Yu');
    expect(couple.voterPersonId).toBe(voter.personId);
    await eventually(async () => recorded.length >= 2);

    const again = await importResidents(admin, communityId, csv, { json: true });
    expect(again.body.status).toBe('completed');
    expect(again.body.report).toEqual({
      rows: 5,
      residentsCreated: 0,
      residentsExisting: 5,
      ownershipsRecorded: 0,
      ownershipsUnchanged: 2,
    });
    expect(await allResidents()).toHaveLength(5);
    expect((await admin.get(`${base()}/owners`)).body.items.map((o: { revision: number }) => o.revision)).toEqual([1, 1]);
    expect((await admin.get(`${base()}/owners/counts`)).body).toEqual(counts.body);
    // No new ownership revisions were published by the second import.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(recorded).toHaveLength(2);
  });

  it('refuses a row whose ID number is already on record for another resident', async () => {
    const res = await importCsv([HEADER, 'B002,202,Other Li,13900009999,310104198001011239,tenant,,,'].join('\n'));
    expect(res.body.status).toBe('rejected');
    expect(res.body.errors).toEqual([{ line: 2, field: 'id_number', reason: 'already on record for another resident' }]);
  });

  it('refuses an import by a resident', async () => {
    const buildings = (await admin.get(`${base()}/hierarchy`)).body.areas[0].grids[0].buildings;
    const unit = (await admin.get(`${base()}/buildings/${buildings[1].id}/units`)).body.items[3];
    const registered = await admin.post(`${base()}/residents`, {
      name: 'Resident Hu',
      phone: '13700000001',
      unitId: unit.id,
      relation: 'tenant',
      account: { username: `hu.${system.id}`.toLowerCase(), password: 'resident-password' },
    });
    expect(registered.status).toBe(201);
    const login = await client(system.baseUrl).post('/api/v1/auth/login', {
      username: `hu.${system.id}`.toLowerCase(),
      password: 'resident-password',
    });
    const res = await client(system.baseUrl, login.body.accessToken).post(
      `${base()}/residents/imports`,
      [HEADER, 'B002,202,Zhang San,13900000002,,tenant,,,'].join('\n'),
      { 'content-type': 'text/csv' },
    );
    expect(res.status).toBe(403);
    expect(await allResidents()).toHaveLength(6);
  });

  it('refuses at once a file that is not CSV, and stores nothing', async () => {
    const res = await importCsv([HEADER, 'B001,101,"Li Ming,13800001234,,tenant,,,'].join('\n'));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(ErrorCode.IMPORT_REJECTED);
    expect(res.body.errors).toEqual([{ line: 2, field: 'file', reason: expect.any(String) }]);
    const empty = await importCsv('');
    expect(empty.status).toBe(400);
  });

  it('lists the imports of the community and answers 404 for an unknown one', async () => {
    const list = await admin.get(`${base()}/residents/imports?limit=2`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { status: string }) => i.status)).toEqual(['rejected', 'completed']);
    expect(list.body.items[0].errors).toBeUndefined();
    expect(list.body.nextCursor).toBeDefined();
    const unknown = await admin.get(`${base()}/residents/imports/65a000000000000000000000`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe(ErrorCode.NOT_FOUND);
  });

  it('completes an accepted import when the membership service dies half-way and comes back', async () => {
    const bulk = await admin.post(`${base()}/buildings/bulk`, {
      gridId: (await admin.get(`${base()}/hierarchy`)).body.areas[0].grids[0].id,
      buildings: [{ code: 'B003', floors: 25, unitsPerFloor: 8 }],
    });
    expect(bulk.status).toBe(201);
    const rows: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const unit = `${1 + (Math.floor(i / 8) % 25)}${String(1 + (i % 8)).padStart(2, '0')}`;
      rows.push(`B003,${unit},Person ${i},137${String(i).padStart(8, '0')},,${i < 200 ? 'owner' : 'family_member'},${i < 200 ? '88.00' : ''},,`);
    }
    const csv = [HEADER, ...rows].join('\n');
    const before = (await allResidents()).length;
    const submitted = await admin.post(`${base()}/residents/imports`, csv, { 'content-type': 'text/csv' });
    expect(submitted.status).toBe(202);
    // Wait until rows are being written, then stop the service as if its process died.
    await eventually(
      async () => (await admin.get(`${base()}/residents?limit=200`)).body.items.length > before,
      120_000,
    );
    await system.stopService('membership');
    await system.startMembership();

    const ended = await eventually(
      async () => {
        const now = await admin.get(`${base()}/residents/imports/${submitted.body.id}`);
        return now.status === 200 && now.body.status === 'completed' ? now.body : undefined;
      },
      180_000,
    );
    expect(ended.attempts).toBe(2);
    expect(ended.report.rows).toBe(20_000);
    expect(ended.report.residentsExisting).toBeGreaterThan(0);
    expect(ended.report.residentsCreated + ended.report.residentsExisting).toBe(20_000);
    // Every row is stored once: importing the file again finds all of them on record.
    const again = await importCsv(csv);
    expect(again.body.report).toMatchObject({ residentsCreated: 0, residentsExisting: 20_000, ownershipsRecorded: 0 });
    const counts = await admin.get(`${base()}/owners/counts`);
    expect(counts.body.units).toBe(2 + 200);
  }, 400_000);
});
