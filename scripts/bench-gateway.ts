/**
 * What each layer of the gateway's request path costs, on this machine:
 *   (a) GET /health/live                         HTTP only, the baseline
 *   (b) GET /api/v1/communities/:id/units/:id    HTTP + auth + one NATS hop + a database read
 *   (c) GET /api/v1/me                           HTTP + eight sections from four services in parallel
 *   (d) the same unit lookup through RpcClient   NATS + database, no HTTP
 * The four services and the gateway run in this process on a NATS server of the bench alone and the local
 * MongoDB-compatible server; the HTTP load comes from a worker thread so the client's own work does not share
 * the servers' event loop.
 *
 *   npm run build && node dist/scripts/bench-gateway.js
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=20 node dist/scripts/bench-gateway.js
 */
import { GridRpc, Relation } from '@cg/contracts';
import {
  BenchSystem,
  LoadRow,
  Outcome,
  RUN,
  RssSampler,
  eventually,
  httpLoad,
  inProcessLoad,
  loadTable,
  logIn,
  machineLine,
  positiveEnv,
  runBench,
} from './bench/support';

const SECONDS = positiveEnv('BENCH_SECONDS', 5);
const CONNECTIONS = positiveEnv('BENCH_CONNECTIONS', 10);
const LOAD = { seconds: SECONDS, connections: CONNECTIONS, warmupSeconds: 1 };

interface Seeded {
  residentToken: string;
  communityId: string;
  unitId: string;
}

/** One community with a grid, a building and one resident with an account, all through the public API. */
async function seed(system: BenchSystem): Promise<Seeded> {
  const as = system.admin;
  const community = await as.post('/api/v1/communities', {
    code: `BENCH${RUN}`,
    name: 'Bench Community',
    district: 'Bench District',
    street: 'Bench Street',
  });
  const communityId = community.id as string;
  const area = await as.post(`/api/v1/communities/${communityId}/areas`, { code: 'A1', name: 'Area 1' });
  const grid = await as.post(`/api/v1/communities/${communityId}/grids`, {
    areaId: area.id,
    code: 'G01',
    name: 'Grid 1',
  });
  const bulk = await as.post(`/api/v1/communities/${communityId}/buildings/bulk`, {
    gridId: grid.id,
    buildings: [{ code: 'B001', floors: 6, unitsPerFloor: 2 }],
  });
  const units = await as.get(
    `/api/v1/communities/${communityId}/buildings/${bulk.buildings[0].id}/units?limit=3`,
  );
  const unitId = units.items[2].id as string;
  const username = `bench.resident.${RUN}`;
  await as.post(`/api/v1/communities/${communityId}/residents`, {
    name: 'Bench Resident',
    phone: '13800001234',
    unitId,
    relation: Relation.Owner,
    account: { username, password: 'bench-resident-password' },
  });
  const residentToken = await logIn(system.baseUrl, username, 'bench-resident-password');
  // The residence section comes from grid's read model, built from membership's event: wait until it has it.
  await eventually(
    async () => {
      const me = await system.api(residentToken).get('/api/v1/me');
      return me.profile?.status === 'ok' && me.residence?.status === 'ok';
    },
    'a complete /me',
    15_000,
  );
  return { residentToken, communityId, unitId };
}

runBench('Gateway layers', undefined, async (system) => {
  const seeded = await seed(system);
  const unitPath = `/api/v1/communities/${seeded.communityId}/units/${seeded.unitId}`;
  const adminToken = system.admin.token!;

  console.log(`\n${machineLine(`${CONNECTIONS} connections, ${SECONDS} s per scenario after 1 s warm-up`)}`);
  const rss = new RssSampler();
  const rows: LoadRow[] = [];
  const run = async (name: string, load: () => Promise<Outcome>) => {
    process.stdout.write(`  ${name} ...`);
    const outcome = await load();
    rows.push({ name, outcome });
    process.stdout.write(` done${outcome.firstError ? ` (first error: ${outcome.firstError})` : ''}\n`);
  };
  await run('(a) GET /health/live', () =>
    httpLoad(system.baseUrl, [{ method: 'GET', path: '/health/live' }], LOAD),
  );
  await run('(b) GET /communities/:id/units/:id', () =>
    httpLoad(system.baseUrl, [{ method: 'GET', path: unitPath, token: adminToken }], LOAD),
  );
  await run('(c) GET /me (8 sections, 4 services)', () =>
    httpLoad(system.baseUrl, [{ method: 'GET', path: '/api/v1/me', token: seeded.residentToken }], LOAD),
  );
  await run('(d) RpcClient grid.units.get', () =>
    inProcessLoad(
      () =>
        system.rpc.send(
          GridRpc.getUnit,
          { communityId: seeded.communityId, unitId: seeded.unitId },
          { token: adminToken },
        ),
      LOAD,
    ),
  );

  console.log(`\n${loadTable(rows)}\n`);
  console.log(rss.stop());
  console.log(
    "(a)-(c) are driven from a worker thread over HTTP keep-alive; (d) runs on the servers' own thread.",
  );
});
