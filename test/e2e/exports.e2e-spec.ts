import { CaseCategory, CaseLocationKind, CaseUrgency, Relation, Role } from '@cg/contracts';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { ADMIN, TestSystem, client, importResidents } from './support/system';

const CSV = 'text/csv; charset=utf-8';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('exports of staff lists as CSV and Excel through the gateway', () => {
  const system = new TestSystem();
  let admin: ReturnType<typeof client>;
  let communityId: string;
  let otherCommunityId: string;
  let buildings: { id: string; code: string }[];
  const units: string[] = [];
  const people: string[] = [];
  const tokens: Record<string, string> = {};
  const base = () => `/api/v1/communities/${communityId}`;

  /** The export as rows of cells, the header row first, read with the format's own parser. */
  async function download(
    path: string,
    format: 'csv' | 'xlsx',
    token = tokens.admin,
    language = 'en',
  ): Promise<{ status: number; type: string | null; rows: string[][]; body?: any }> {
    const separator = path.includes('?') ? '&' : '?';
    const response = await fetch(`${system.baseUrl}${path}${separator}format=${format}`, {
      headers: { authorization: `Bearer ${token}`, 'accept-language': language },
    });
    const type = response.headers.get('content-type');
    const bytes = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200) return { status: response.status, type, rows: [], body: JSON.parse(bytes.toString()) };
    if (format === 'csv') return { status: 200, type, rows: parse(bytes, { bom: true, relax_column_count: false }) };
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const rows: string[][] = [];
    workbook.worksheets[0].eachRow((row) => {
      rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v))));
    });
    return { status: 200, type, rows };
  }

  const column = (rows: string[][], header: string) => rows.slice(1).map((r) => r[rows[0].indexOf(header)]);

  beforeAll(async () => {
    await system.start();
    const login = await client(system.baseUrl).post('/api/v1/auth/login', ADMIN);
    tokens.admin = login.body.accessToken;
    admin = client(system.baseUrl, tokens.admin);
    const community = await admin.post('/api/v1/communities', { code: `X${system.id}`, name: 'K', district: 'Xuhui', street: 'Kangjian' });
    communityId = community.body.id;
    const other = await admin.post('/api/v1/communities', { code: `Y${system.id}`, name: 'L', district: 'Xuhui', street: 'Kangjian' });
    otherCommunityId = other.body.id;
    const area = await admin.post(`${base()}/areas`, { code: 'A1', name: 'Area 1' });
    const grid = await admin.post(`${base()}/grids`, { areaId: area.body.id, code: 'G01', name: 'Grid 1' });
    const bulk = await admin.post(`${base()}/buildings/bulk`, {
      gridId: grid.body.id,
      buildings: [
        { code: 'B001', floors: 2, unitsPerFloor: 2 },
        { code: 'B002', floors: 2, unitsPerFloor: 2 },
      ],
    });
    buildings = bulk.body.buildings;
    for (const building of buildings) {
      const page = await admin.get(`${base()}/buildings/${building.id}/units`);
      units.push(...page.body.items.map((u: { id: string }) => u.id));
    }
    for (let i = 0; i < 6; i++) {
      const created = await admin.post(`${base()}/residents`, {
        name: `居民 ${i}`,
        phone: `1380000${String(1000 + i)}`,
        unitId: units[i],
        relation: Relation.Owner,
      });
      expect(created.status).toBe(201);
      people.push(created.body.id);
    }
    for (const [name, role] of [
      ['worker', Role.GridWorker],
      ['staff', Role.CommunityStaff],
      ['resident', Role.Resident],
    ] as const) {
      const username = `${name}.${system.id}`;
      const created = await admin.post('/api/v1/accounts', { username, password: 'exports-password', name, roles: [role], communityIds: [communityId] });
      expect(created.status).toBe(201);
      tokens[name] = (await client(system.baseUrl).post('/api/v1/auth/login', { username, password: 'exports-password' })).body.accessToken;
    }
    for (const [i, person] of people.entries()) {
      expect((await admin.put(`${base()}/units/${units[i]}/ownership`, { ownerPersonIds: [person], registerArea: `${80 + i}.50` })).status).toBe(200);
    }
    for (const [i, organisation] of ['Hospital branch', 'Hospital branch', 'Street committee'].entries()) {
      const saved = await admin.put(`${base()}/party-members/${people[i]}`, { workplaceOrganisation: organisation, joinedOn: '2008-07-01', status: 'in_service' });
      expect(saved.status).toBe(200);
    }
    expect((await admin.put(`${base()}/volunteers/${people[4]}`, { skills: ['first aid'], availability: ['weekend_morning'] })).status).toBe(200);
    for (const [i, category] of [CaseCategory.Noise, CaseCategory.Noise, CaseCategory.Sanitation].entries()) {
      const filed = await admin.post(`${base()}/cases`, {
        category,
        urgency: CaseUrgency.Normal,
        description: `Case ${i}, with a comma`,
        locationKind: CaseLocationKind.Unit,
        locationId: units[i],
      });
      expect(filed.status).toBe(201);
    }
  });

  afterAll(() => system.stop());

  it.each(['csv', 'xlsx'] as const)('exports every resident as %s, with the numbers as the residents list shows them', async (format) => {
    const result = await download(`${base()}/exports/residents`, format);
    expect(result.status).toBe(200);
    expect(result.type).toBe(format === 'csv' ? CSV : XLSX);
    expect(result.rows[0].slice(0, 3)).toEqual(['Person id', 'Name', 'Phone']);
    expect(column(result.rows, 'Person id').sort()).toEqual([...people].sort());
    const list = await admin.get(`${base()}/residents?limit=200`);
    expect(column(result.rows, 'Phone').sort()).toEqual(list.body.items.map((r: { phone: string }) => r.phone).sort());
  });

  it.each(['csv', 'xlsx'] as const)('masks the numbers in a grid worker\'s %s export as the residents list does', async (format) => {
    const result = await download(`${base()}/exports/residents`, format, tokens.worker);
    expect(result.status).toBe(200);
    expect(result.rows).toHaveLength(1 + people.length);
    expect(column(result.rows, 'Phone').every((phone) => phone.includes('****'))).toBe(true);
  });

  it('writes Chinese headers when the client prefers Chinese', async () => {
    const result = await download(`${base()}/exports/residents`, 'csv', tokens.admin, 'zh-CN,zh;q=0.9,en;q=0.8');
    expect(result.rows[0].slice(0, 3)).toEqual(['人员编号', '姓名', '电话']);
    expect(column(result.rows, '姓名')).toContain('居民 0');
  });

  it('exports one building of residents only', async () => {
    const result = await download(`${base()}/exports/residents?buildingId=${buildings[1].id}`, 'csv');
    expect(column(result.rows, 'Person id').sort()).toEqual(people.slice(4).sort());
  });

  it.each(['csv', 'xlsx'] as const)('exports the owner register as %s', async (format) => {
    const result = await download(`${base()}/exports/owner-register`, format);
    expect(result.status).toBe(200);
    expect(result.rows).toHaveLength(1 + people.length);
    expect(column(result.rows, 'Exclusive area (m²)').sort()).toEqual(['80.50', '81.50', '82.50', '83.50', '84.50', '85.50']);
  });

  it.each(['csv', 'xlsx'] as const)('exports volunteers as %s', async (format) => {
    const result = await download(`${base()}/exports/volunteers`, format);
    expect(result.rows.slice(1).map((r) => r.slice(0, 3))).toEqual([[people[4], '居民 4', 'first aid']]);
  });

  it.each(['csv', 'xlsx'] as const)('exports the party members of one workplace organisation as %s', async (format) => {
    const all = await download(`${base()}/exports/party-members`, format);
    expect(all.rows).toHaveLength(4);
    const one = await download(`${base()}/exports/party-members?workplaceOrganisation=Hospital%20branch`, format);
    expect(column(one.rows, 'Person id').sort()).toEqual(people.slice(0, 2).sort());
    expect(new Set(column(one.rows, 'Workplace organisation'))).toEqual(new Set(['Hospital branch']));
  });

  it.each(['csv', 'xlsx'] as const)('exports cases as %s with the filters of the case list', async (format) => {
    const all = await download(`${base()}/exports/cases`, format);
    expect(all.rows).toHaveLength(4);
    expect(column(all.rows, 'Description')).toContain('Case 0, with a comma');
    const noise = await download(`${base()}/exports/cases?category=${CaseCategory.Noise}`, format);
    expect(new Set(column(noise.rows, 'Category'))).toEqual(new Set([CaseCategory.Noise]));
    expect(noise.rows).toHaveLength(3);
  });

  it('refuses callers without the role, another community, and bad input, as problems', async () => {
    expect((await download(`${base()}/exports/residents`, 'csv', tokens.resident)).status).toBe(403);
    expect((await download(`${base()}/exports/owner-register`, 'csv', tokens.worker)).status).toBe(403);
    const foreign = await download(`/api/v1/communities/${otherCommunityId}/exports/residents`, 'csv', tokens.staff);
    expect(foreign.status).toBe(403);
    const kind = await download(`${base()}/exports/ballots`, 'csv');
    expect(kind).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    const format = await fetch(`${system.baseUrl}${base()}/exports/residents?format=pdf`, {
      headers: { authorization: `Bearer ${tokens.admin}` },
    });
    expect(format.status).toBe(400);
  });

  it('pages through lists longer than one page', async () => {
    const rows = Array.from({ length: 230 }, (_, i) => `B002,201,Family ${i},139${String(i).padStart(8, '0')},family_member`);
    const imported = await importResidents(admin, communityId, ['building,unit,name,phone,relation', ...rows].join('\n'));
    expect(imported.body.status).toBe('completed');
    for (const format of ['csv', 'xlsx'] as const) {
      const result = await download(`${base()}/exports/residents`, format, tokens.staff);
      expect(result.rows).toHaveLength(1 + people.length + 230);
      expect(new Set(column(result.rows, 'Person id')).size).toBe(people.length + 230);
    }
  });
});
