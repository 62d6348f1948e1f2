/**
 * Overload: the capacity of a mixed request set through the gateway in a closed loop (resident home `GET /me`, the
 * staff case list, a resident filing a case), then an open loop at OVERLOAD_FACTOR (3) times that rate for
 * OVERLOAD_SECONDS: what is served, what is refused (503 with Retry-After expected, 504/500 reported), the latency of
 * what is served, and how long after the load stops a probe answers 2xx within 1 s. Every service and the gateway run
 * as separate processes (`scripts/chaos/system.ts`), so a service refusing work at its in-flight bound does not slow
 * the gateway's own event loop. Baseline: the closed-loop capacity of the same run.
 *
 *   npm run build && npm run bench:overload
 *   OVERLOAD_SECONDS=20 node dist/scripts/bench/overload.js
 */
import { ProcessSystem } from '../chaos/system';
import {
  ADMIN,
  RUN,
  RequestSpec,
  api,
  eventually,
  figures,
  httpLoad,
  httpOpenLoad,
  logIn,
  machineLine,
  ms,
  percentile,
  positiveEnv,
  progress,
  ratio,
  seedCommunity,
  seedResidentsThroughApi,
  table,
} from './support';

const SECONDS = positiveEnv('OVERLOAD_SECONDS', 60);
const FACTOR = positiveEnv('OVERLOAD_FACTOR', 3);
const CAPACITY_SECONDS = positiveEnv('OVERLOAD_CAPACITY_SECONDS', 10);
const CONNECTIONS = positiveEnv('BENCH_CONNECTIONS', 16);
const RESIDENTS = positiveEnv('OVERLOAD_RESIDENTS', 4);

async function main(): Promise<void> {
  console.log(`# Overload: closed-loop capacity, then an open loop at ${FACTOR}x for ${SECONDS} s\n`);
  console.log(
    'Every app its own process; database: a private mongo-java-server on an H2 file (only `_id` and unique indexes: ' +
      'the case list scans in the JVM and slows as the load files cases).',
  );
  const system = new ProcessSystem();
  let failed = true;
  try {
    let done = progress('NATS, the database, four services and the gateway');
    await system.start();
    done();
    done = progress(`one community, ${RESIDENTS} residents with accounts`);
    const admin = api(system.baseUrl, await logIn(system.baseUrl, ADMIN.username, ADMIN.password));
    const community = await seedCommunity(admin, {
      code: `OVL${RUN}`,
      buildings: 1,
      grids: 1,
      floors: 2,
      unitsPerFloor: 4,
    });
    const residents = await seedResidentsThroughApi(admin, system.baseUrl, community.communityId, community.units.slice(0, RESIDENTS), 'overload');
    const cases = `/api/v1/communities/${community.communityId}/cases`;
    const fileCase = (token: string, unitId: string): RequestSpec => ({
      method: 'POST',
      path: cases,
      token,
      body: {
        category: 'noise',
        description: 'Drilling after 22:00',
        urgency: 'normal',
        locationKind: 'unit',
        locationId: unitId,
      },
    });
    // Grid learns where residents live from events: wait until each can file.
    for (const r of residents)
      await eventually(
        () => api(system.baseUrl, r.token).post(cases, fileCase(r.token!, r.unitId).body),
        'a first case filed',
      );
    done();
    const specs: RequestSpec[] = residents.flatMap((r) => [
      { method: 'GET', path: '/api/v1/me', token: r.token },
      { method: 'GET', path: `${cases}?limit=20`, token: admin.token },
      fileCase(r.token!, r.unitId),
    ]);

    console.log(
      `\n${machineLine(`closed loop: ${CONNECTIONS} connections for ${CAPACITY_SECONDS} s after 2 s of warm-up`)}`,
    );
    done = progress('(a) closed loop: capacity');
    const closed = await httpLoad(system.baseUrl, specs, {
      connections: CONNECTIONS,
      seconds: CAPACITY_SECONDS,
      warmupSeconds: 2,
    });
    done();
    const capacity = figures(closed);
    const rate = Math.max(1, Math.round(capacity.rate * FACTOR));
    done = progress(`(b) open loop: ${rate} req/s for ${SECONDS} s, then a probe until 2xx within 1 s`);
    const open = await httpOpenLoad(system.baseUrl, specs, {
      rate,
      seconds: SECONDS,
      timeoutMs: 10_000,
      probe: { method: 'GET', path: '/api/v1/me', token: residents[0].token },
      probeWithinMs: 1000,
    });
    done();

    const status = (key: string) => open.statuses[key] ?? 0;
    const served = Object.entries(open.statuses)
      .filter(([s]) => s.startsWith('2'))
      .reduce((n, [, c]) => n + c, 0);
    const other = Object.entries(open.statuses)
      .filter(([s]) => !s.startsWith('2') && !['503', '504', '500', 'no reply'].includes(s))
      .reduce((n, [, c]) => n + c, 0);
    const sorted = [...open.latenciesMs].sort((a, b) => a - b);
    const openSeconds = open.elapsedMs / 1000;
    console.log(
      `\n${table(
        [
          'phase',
          'offered req/s',
          'served req/s',
          '2xx',
          '503',
          '504',
          '500',
          'other',
          'no reply',
          'p50 ms',
          'p99 ms',
          'served vs capacity',
        ],
        [
          [
            '(a) closed loop',
            '-',
            capacity.rate.toFixed(0),
            String(closed.requests),
            '-',
            '-',
            '-',
            `${closed.errors} errors`,
            '-',
            ms(capacity.p50),
            ms(capacity.p99),
            ratio(1),
          ],
          [
            `(b) open loop ${FACTOR}x`,
            (open.offered / (open.offeredMs / 1000)).toFixed(0),
            (served / openSeconds).toFixed(0),
            String(served),
            String(status('503')),
            String(status('504')),
            String(status('500')),
            String(other),
            String(status('no reply')),
            ms(percentile(sorted, 0.5)),
            ms(percentile(sorted, 0.99)),
            ratio(served / openSeconds / capacity.rate),
          ],
        ],
      )}\n`,
    );
    if (closed.firstError) console.log(`closed loop, first error: ${closed.firstError}`);
    console.log(`open loop replies by status: ${JSON.stringify(open.statuses)}`);
    for (const [route, counts] of Object.entries(open.byRoute))
      console.log(`  ${route.replace(community.communityId, '{id}')}: ${JSON.stringify(counts)}`);
    console.log(
      `open loop: ${open.offered} requests started in ${(open.offeredMs / 1000).toFixed(1)} s, last reply after ` +
        `${openSeconds.toFixed(1)} s (served req/s over that time; "no reply": no answer within 10 s)`,
    );
    const refused = status('503');
    console.log(
      `503 with Retry-After: ${refused ? `${open.retryAfter503} of ${refused} (${((100 * open.retryAfter503) / refused).toFixed(1)}%)` : 'no 503'}`,
    );
    console.log(
      `recovery after the load stopped: ${
        open.recoveryMs === undefined ? 'not within 300 s' : `${(open.recoveryMs / 1000).toFixed(1)} s`
      } until GET /me answered 2xx within 1 s (${open.probes} probes)`,
    );
    failed = false;
  } finally {
    await system.stop(failed);
    if (failed) console.log(`logs kept in ${system.logDir}`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
