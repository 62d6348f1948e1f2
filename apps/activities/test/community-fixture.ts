import { Relation } from '@cg/contracts';
import { ADMIN, client } from '../../../test/e2e/support/system';

export type Client = ReturnType<typeof client>;

export interface FixtureResident {
  personId: string;
  name: string;
  buildingId: string;
  gridId: string;
  api: Client;
}

export interface CommunityFixture {
  admin: Client;
  communityId: string;
  gridIds: string[];
  buildingIds: string[];
  residents: FixtureResident[];
  base: string;
}

/**
 * A community through the gateway: one residential area, two grids of one building each, and residents with
 * app accounts (resident i lives in building i % 2).
 */
export async function buildCommunity(baseUrl: string, tag: string, residentCount: number): Promise<CommunityFixture> {
  const login = await client(baseUrl).post('/api/v1/auth/login', ADMIN);
  const admin = client(baseUrl, login.body.accessToken);
  const community = await admin.post('/api/v1/communities', { code: `K${tag}`, name: 'Kangjian', district: 'Xuhui', street: 'Kangjian' });
  const communityId: string = community.body.id;
  const base = `/api/v1/communities/${communityId}`;
  const area = await admin.post(`${base}/areas`, { code: 'A1', name: 'Area 1' });
  const gridIds: string[] = [];
  const buildingIds: string[] = [];
  const unitIds: string[] = [];
  for (const n of [1, 2]) {
    const grid = await admin.post(`${base}/grids`, { areaId: area.body.id, code: `G0${n}`, name: `Grid ${n}` });
    gridIds.push(grid.body.id);
    const bulk = await admin.post(`${base}/buildings/bulk`, { gridId: grid.body.id, buildings: [{ code: `B00${n}`, floors: 6, unitsPerFloor: 4 }] });
    buildingIds.push(bulk.body.buildings[0].id);
    const units = await admin.get(`${base}/buildings/${bulk.body.buildings[0].id}/units?limit=24`);
    unitIds.push(units.body.items[0].id);
  }
  const residents: FixtureResident[] = [];
  for (let i = 0; i < residentCount; i += 1) {
    const b = i % 2;
    const name = `Resident ${String(i).padStart(2, '0')}`;
    const username = `r${i}.${tag}`;
    const res = await admin.post(`${base}/residents`, {
      name,
      phone: `1380000${String(1000 + i)}`,
      unitId: unitIds[b],
      relation: i === 0 ? Relation.Owner : Relation.Tenant,
      account: { username, password: 'resident-password' },
    });
    if (res.status !== 201) throw new Error(`resident ${i}: ${res.status} ${JSON.stringify(res.body)}`);
    const token = await client(baseUrl).post('/api/v1/auth/login', { username, password: 'resident-password' });
    residents.push({ personId: res.body.id, name, buildingId: buildingIds[b], gridId: gridIds[b], api: client(baseUrl, token.body.accessToken) });
  }
  return { admin, communityId, gridIds, buildingIds, residents, base };
}

/** An activity body open for registration now, with the given overrides. */
export function openActivity(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Date.now();
  const hour = 3600_000;
  return {
    title: 'Parent-child kite making',
    type: 'parent_child',
    organiser: { kind: 'body', name: "Residents' committee" },
    place: 'Community hall',
    startsAt: new Date(now + 48 * hour).toISOString(),
    endsAt: new Date(now + 50 * hour).toISOString(),
    audience: { scope: 'community' },
    capacity: 4,
    registrationOpensAt: new Date(now - hour).toISOString(),
    registrationClosesAt: new Date(now + 24 * hour).toISOString(),
    familyMembersAllowed: true,
    ...overrides,
  };
}
