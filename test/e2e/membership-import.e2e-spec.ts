import { ErrorCode, EventEnvelope, MembershipOwnerEvents, OwnershipRecordedData } from '@cg/contracts';
import { DurableConsumers } from '@cg/messaging';
import { eventually } from '@cg/testing';
import { ADMIN, TestSystem, client } from './support/system';

const HEADER = 'building,unit,name,phone,id_number,relation,area,area_source,voter';

describe('bulk import of residents and owners from a CSV file through the gateway', () => {
  const system = new TestSystem();
  let admin: ReturnType<typeof client>;
  let communityId: string;
  const recorded: EventEnvelope<OwnershipRecordedData>[] = [];
  const base = () => `/api/v1/communities/${communityId}`;

  const importCsv = (csv: string) => admin.post(`${base()}/residents/imports`, csv, { 'content-type': 'text/csv' });
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
      'B001,101,Li Ming,13800001234,310104198001011234,owner,89.50,,',
      'B001,999,Wang Fang,13800001235,,tenant,,,',
      'B002,101,Zhao Lei,13800001236,310104198001011234,owner,75,,',
      'B002,102,Sun Li,1380000abcd,,tenant,,,',
      'B002,201,Zhou Qi,13800001238,,owner,-3,,',
      'B002,202,Wu Hua,13800001239,,owner,12.345,,',
    ].join('\r\n');
    const res = await importCsv(csv);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(ErrorCode.IMPORT_REJECTED);
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
        'B001,101,"Li, Ming",13800001234,310104198001011234,owner,89.50,,',
        'B001,101,Wang Fang,13800001235,,family_member,,,',
        'B001,102,Zhao Lei,13800001236,310104198001015678,owner,100.33,surveyed,',
        'B001,102,Qian Yu,13800001237,,owner,100.33,surveyed,yes',
        'B002,201,"Sun ""Xiao"" Li",13800001238,,tenant,,,',
      ].join('\r\n') +
      '\r\n';
    const first = await importCsv(csv);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
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

    const again = await admin.post(`${base()}/residents/imports`, { csv });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({
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
    const res = await importCsv([HEADER, 'B002,202,Other Li,13900009999,310104198001011234,tenant,,,'].join('\n'));
    expect(res.status).toBe(400);
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
});
