/**
 * A mixed read soak through the gateway: residents' `GET /api/v1/me` and staff case lists (by grid, by status), at
 * BENCH_CONNECTIONS for SOAK_MINUTES, reported minute by minute with the RSS of every process of the system (this
 * one, which runs the services and the gateway; the database server; NATS). After the load: how long the first
 * request takes (a backlog of abandoned work would show here). Baseline: the first minute.
 *
 *   npm run build && node dist/scripts/bench/soak.js
 *   SOAK_MINUTES=10 BENCH_CONNECTIONS=10 node dist/scripts/bench/soak.js   (the full soak)
 */
import { CaseCategory, CaseLocationKind, CaseUrgency } from '@cg/contracts';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  BenchSystem,
  RUN,
  RequestSpec,
  figures,
  httpLoad,
  machineLine,
  mapLimit,
  mb,
  ms,
  positiveEnv,
  progress,
  ratio,
  runBench,
  seedCommunity,
  seedResidents,
  table,
  timed,
} from './support';

const MINUTES = positiveEnv('SOAK_MINUTES', 2);
const CONNECTIONS = positiveEnv('BENCH_CONNECTIONS', 10);
const RESIDENTS = positiveEnv('SOAK_RESIDENTS', 200);
const CASES = positiveEnv('SOAK_CASES', 1000);

/** Resident set size of a process by pid, from /proc; NaN when it is gone. */
function rssOf(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return pages * 4096;
  } catch {
    return NaN;
  }
}

function pidListening(port: string): number | undefined {
  try {
    const out = execFileSync('bash', [
      '-c',
      `ss -ltnpH 'sport = :${port}' | grep -o 'pid=[0-9]*' | head -1`,
    ]).toString();
    return Number(out.replace('pid=', '')) || undefined;
  } catch {
    return undefined;
  }
}

runBench(
  `Mixed read soak: ${MINUTES} min at ${CONNECTIONS} connections`,
  undefined,
  async (system: BenchSystem) => {
    const done = progress(`community, ${RESIDENTS} residents with accounts, ${CASES} cases`);
    const community = await seedCommunity(system.admin, {
      code: `SOAK${RUN}`,
      buildings: 20,
      grids: 4,
      floors: 6,
      unitsPerFloor: 4,
    });
    const { communityId } = community;
    const residents = await seedResidents(system, communityId, community.units.slice(0, RESIDENTS), {
      prefix: 'soak',
    });
    const categories = Object.values(CaseCategory);
    await mapLimit(
      Array.from({ length: CASES }, (_, i) => i),
      8,
      (i) =>
        system.api(residents[i % residents.length].token).post(`/api/v1/communities/${communityId}/cases`, {
          category: categories[i % categories.length],
          description: `Soak case ${i}: the stairwell light is out`,
          urgency: CaseUrgency.Normal,
          locationKind: CaseLocationKind.Unit,
          locationId: residents[i % residents.length].unitId,
        }),
    );
    done();

    const base = `/api/v1/communities/${communityId}`;
    const specs: RequestSpec[] = [];
    for (let i = 0; i < residents.length; i++) {
      specs.push({ method: 'GET', path: '/api/v1/me', token: residents[i].token });
      const grid = community.gridIds[i % community.gridIds.length];
      specs.push({
        method: 'GET',
        path: i % 2 ? `${base}/cases?gridId=${grid}&limit=50` : `${base}/cases?status=reported&limit=50`,
        token: system.admin.token,
      });
    }
    const mongoUrl = process.env.MONGO_URL ?? `mongodb://127.0.0.1:${process.env.MONGO_PORT ?? 27017}`;
    const mongoPid = pidListening(new URL(mongoUrl).port || '27017');
    const natsPid = pidListening(new URL(system.config('grid').natsUrl).port);
    const processes = () => [rssOf(process.pid), rssOf(mongoPid), rssOf(natsPid)];

    console.log(`\n${machineLine(`${CONNECTIONS} connections; /me and staff case lists, half each`)}`);
    const lines: string[][] = [];
    let first: ReturnType<typeof figures> | undefined;
    let errors = 0;
    let firstError: string | undefined;
    let startRss: number[] = [];
    let endRss: number[] = [];
    for (let minute = 1; minute <= MINUTES; minute++) {
      const outcome = await httpLoad(system.baseUrl, specs, {
        connections: CONNECTIONS,
        seconds: 60,
        warmupSeconds: minute === 1 ? 5 : 0,
      });
      const f = figures(outcome);
      first ??= f;
      errors += outcome.errors;
      firstError ??= outcome.firstError;
      endRss = processes();
    if (minute === 1) startRss = endRss;
      lines.push([
        String(minute),
        f.rate.toFixed(1),
        ms(f.p50),
        ms(f.p99),
        String(outcome.errors),
        ...endRss.map(mb),
        ratio(f.rate / first.rate),
      ]);
      console.log(
        `  minute ${minute}: ${f.rate.toFixed(1)} req/s, p99 ${ms(f.p99)} ms, ${outcome.errors} errors`,
      );
    }
    const after = await timed(() =>
      system.api(system.admin.token).get(`${base}/cases?status=reported&limit=50`),
    );
    const afterMe = await timed(() => system.api(residents[0].token).get('/api/v1/me'));

    console.log(
      `\n${table(['minute', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'RSS services+gateway', 'RSS database', 'RSS nats', 'vs minute 1'], lines)}\n`,
    );
    console.log(`errors: ${errors}${firstError ? ` (first: ${firstError})` : ''}`);
    console.log(`first requests after the load: case list ${ms(after.ms)} ms, /me ${ms(afterMe.ms)} ms`);
    const names = ['services+gateway', 'database', 'nats'];
    console.log(
      `RSS growth from minute 1 to the end: ${names.map((n, i) => `${n} ${mb(startRss[i])} -> ${mb(endRss[i])} (${ratio(endRss[i] / startRss[i])})`).join(', ')}`,
    );
  },
);
