import { BodyKind, ErrorCode, PositionKind, Relation } from '@cg/contracts';
import { ADMIN, TestSystem, client } from './support/system';

describe('bodies, positions and terms through the gateway', () => {
  const system = new TestSystem();
  let admin: ReturnType<typeof client>;
  let communityId: string;
  const people: Record<string, string> = {};
  const base = () => `/api/v1/communities/${communityId}`;
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);

  beforeAll(async () => {
    await system.start();
    const token = (await client(system.baseUrl).post('/api/v1/auth/login', ADMIN)).body.accessToken;
    admin = client(system.baseUrl, token);
    communityId = (
      await admin.post('/api/v1/communities', { code: `Y${system.id}`, name: 'K', district: 'Xuhui', street: 'Kangjian' })
    ).body.id;
    const area = await admin.post(`${base()}/areas`, { code: 'A1', name: 'Area 1' });
    const grid = await admin.post(`${base()}/grids`, { areaId: area.body.id, code: 'G01', name: 'Grid 1' });
    const bulk = await admin.post(`${base()}/buildings/bulk`, {
      gridId: grid.body.id,
      buildings: [{ code: 'B001', floors: 1, unitsPerFloor: 4 }],
    });
    const units = (await admin.get(`${base()}/buildings/${bulk.body.buildings[0].id}/units`)).body.items;
    for (const [i, name] of ['Secretary Ma', 'Cadre Tang', 'Cadre Xu', 'Chair Feng'].entries()) {
      const res = await admin.post(`${base()}/residents`, {
        name,
        phone: `1350000${1000 + i}`,
        unitId: units[i].id,
        relation: Relation.Owner,
      });
      people[name] = res.body.id;
    }
  });

  afterAll(async () => {
    await system.stop();
  });

  it('appoints a second secretary for a term and tells who holds the position today, with the history kept', async () => {
    const committee = await admin.post(`${base()}/bodies`, { kind: BodyKind.PartyCommittee, name: 'Party committee of K' });
    expect(committee.status).toBe(201);
    const branch = await admin.post(`${base()}/bodies`, {
      kind: BodyKind.PartyGeneralBranch,
      name: 'General branch of area 1',
      parentBodyId: committee.body.id,
    });
    expect(branch.body).toMatchObject({ kind: BodyKind.PartyGeneralBranch, parentBodyId: committee.body.id });

    const second = await admin.post(`${base()}/bodies/${committee.body.id}/terms`, {
      personId: people['Secretary Ma'],
      position: PositionKind.SecondSecretary,
      title: 'Second secretary from the district hospital',
      from: '2024-01-01',
      to: '2026-12-31',
    });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({
      bodyId: committee.body.id,
      bodyKind: BodyKind.PartyCommittee,
      name: 'Secretary Ma',
      position: PositionKind.SecondSecretary,
      from: '2024-01-01',
      to: '2026-12-31',
    });
    const past = await admin.post(`${base()}/bodies/${committee.body.id}/terms`, {
      personId: people['Cadre Tang'],
      position: PositionKind.SecondEchelon,
      from: '2020-01-01',
      to: '2022-12-31',
    });
    expect(past.body.current).toBe(false);
    const echelon = await admin.post(`${base()}/bodies/${committee.body.id}/terms`, {
      personId: people['Cadre Xu'],
      position: PositionKind.SecondEchelon,
      from: '2023-01-01',
    });
    expect(echelon.body.current).toBe(true);

    const heldToday = await admin.get(`${base()}/positions?on=${today}`);
    expect(heldToday.status).toBe(200);
    expect(heldToday.body.items.map((t: { name: string; position: string }) => [t.name, t.position]).sort()).toEqual(
      [
        ['Cadre Xu', PositionKind.SecondEchelon],
        ...(today <= '2026-12-31' ? [['Secretary Ma', PositionKind.SecondSecretary]] : []),
      ].sort(),
    );
    const in2021 = await admin.get(`${base()}/positions?on=2021-06-01&position=${PositionKind.SecondEchelon}`);
    expect(in2021.body.items.map((t: { name: string }) => t.name)).toEqual(['Cadre Tang']);

    const ended = await admin.post(`${base()}/bodies/${committee.body.id}/terms/${echelon.body.id}/end`, {
      to: '2024-06-30',
      reason: 'Promoted to deputy secretary',
    });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ to: '2024-06-30', current: false, endReason: 'Promoted to deputy secretary' });
    const history = await admin.get(`${base()}/bodies/${committee.body.id}/terms?position=${PositionKind.SecondEchelon}`);
    expect(history.body.items.map((t: { name: string; to: string }) => [t.name, t.to])).toEqual([
      ['Cadre Tang', '2022-12-31'],
      ['Cadre Xu', '2024-06-30'],
    ]);
  });

  it('gives a chair one holder at a time, even when two appointments race', async () => {
    const owners = await admin.post(`${base()}/bodies`, { kind: BodyKind.OwnersCommittee, name: "Owners' committee" });
    const results = await Promise.all(
      ['Chair Feng', 'Cadre Tang'].map((name) =>
        admin.post(`${base()}/bodies/${owners.body.id}/terms`, {
          personId: people[name],
          position: PositionKind.Chair,
          from: '2025-01-01',
          to: '2029-12-31',
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.code).toBe(ErrorCode.ALREADY_TAKEN);
    const next = await admin.post(`${base()}/bodies/${owners.body.id}/terms`, {
      personId: people['Secretary Ma'],
      position: PositionKind.Chair,
      from: '2030-01-01',
    });
    expect(next.status).toBe(201);
    const terms = await admin.get(`${base()}/bodies/${owners.body.id}/terms?position=${PositionKind.Chair}`);
    expect(terms.body.items).toHaveLength(2);
  });

  it('refuses a term that ends before it starts and an appointment of someone who is not a resident', async () => {
    const body = await admin.post(`${base()}/bodies`, { kind: BodyKind.SchoolFamilyCommittee, name: 'Family committee, No. 2 Primary' });
    const backwards = await admin.post(`${base()}/bodies/${body.body.id}/terms`, {
      personId: people['Cadre Tang'],
      position: PositionKind.Member,
      from: '2025-05-01',
      to: '2025-04-01',
    });
    expect(backwards.status).toBe(400);
    const stranger = await admin.post(`${base()}/bodies/${body.body.id}/terms`, {
      personId: '0123456789abcdef01234567',
      position: PositionKind.Member,
      from: '2025-05-01',
    });
    expect(stranger.status).toBe(404);
    const kinds = await admin.get(`${base()}/bodies?kind=${BodyKind.SchoolFamilyCommittee}`);
    expect(kinds.body.items.map((b: { name: string }) => b.name)).toEqual(['Family committee, No. 2 Primary']);
  });
});
