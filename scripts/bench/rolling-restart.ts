/**
 * Rolling restart under load: with ROLLING_COPIES (2) copies of each service and two gateways behind HAProxy
 * (`scripts/cluster.sh`), a steady open-loop resident load (home `GET /me`, filing a case, the staff case list,
 * registering for an activity and cancelling) at ROLLING_RATE requests/s, while every copy of every service and then
 * each gateway is restarted one at a time: SIGTERM, wait for the exit, start, wait for readiness. Prints requests,
 * failures (a reply outside 2xx other than 429, or none) and p99 before, during and after; the goal is no failure.
 * Also how long each copy took to stop and to become ready, and the memory of every copy after the load.
 * Baseline: the phase before the restarts.
 *
 *   npm run build && npm run bench:rolling
 *   ROLLING_RATE=120 ROLLING_COPIES=3 node dist/scripts/bench/rolling-restart.js
 * Leaves the cluster running; `bash scripts/cluster.sh down` stops it.
 */
import { Copy, LB_URL, SERVICES, cluster, copies, residentMix, rssMb, uptime } from '../cluster/cluster';
import { PhaseFigures, phase, startLoad } from '../cluster/load';
import { machineLine, ms, positiveEnv, progress, ratio, sleep, table } from './support';

const RATE = positiveEnv('ROLLING_RATE', 60);
const COPIES = positiveEnv('ROLLING_COPIES', 2);
const QUIET_SECONDS = positiveEnv('ROLLING_QUIET_SECONDS', 10);
const RESIDENTS = positiveEnv('ROLLING_RESIDENTS', 8);

const gone = (pid: number) => {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
};

interface Restart {
  copy: Copy;
  at: number;
  stopMs: number;
  readyMs: number;
}

async function restart(copy: Copy, total: number): Promise<Restart> {
  const at = Date.now();
  const t0 = performance.now();
  process.kill(copy.pid, 'SIGTERM');
  while (!gone(copy.pid)) await sleep(20);
  const stopped = performance.now();
  // Starts the missing copy and returns once it answers ready.
  cluster('scale', copy.app, String(total));
  return { copy, at, stopMs: stopped - t0, readyMs: performance.now() - stopped };
}

async function main(): Promise<void> {
  console.log(`# Rolling restart of every copy under ${RATE} requests/s through HAProxy\n`);
  console.log(`before: ${uptime()}`);
  let done = progress(`cluster: ${COPIES} copies of each service, two gateways, HAProxy`);
  cluster('up', String(COPIES));
  done();
  done = progress(`one community, ${RESIDENTS} residents with accounts, an activity`);
  const { steps } = await residentMix(RESIDENTS);
  done();

  console.log(`\n${machineLine(`open loop at ${RATE} requests/s, ${QUIET_SECONDS} s before and after the restarts`)}`);
  const load = startLoad({ baseUrl: LB_URL, steps, seconds: 3600, rate: RATE });
  await sleep(QUIET_SECONDS * 1000);
  const during = Date.now();
  const restarts: Restart[] = [];
  for (const app of [...SERVICES, 'api-gateway'] as const) {
    for (const copy of copies(app)) {
      done = progress(`restarting ${app} #${copy.index}`);
      restarts.push(await restart(copy, app === 'api-gateway' ? 2 : COPIES));
      done();
    }
  }
  const after = Date.now();
  await sleep(QUIET_SECONDS * 1000);
  load.stop();
  const run = await load.finished;

  const phases: [string, PhaseFigures][] = [
    ['before', phase(run.samples, run.started, during)],
    [`during (${((after - during) / 1000).toFixed(0)} s, ${restarts.length} restarts)`, phase(run.samples, during, after)],
    ['after', phase(run.samples, after, run.ended + 1)],
  ];
  const base = phases[0][1];
  console.log(
    `\n${table(
      ['phase', 'requests', '2xx', 'failed', '429', 'req/s', 'p50 ms', 'p99 ms', 'p99 vs before'],
      phases.map(([name, f]) => [
        name,
        String(f.requests),
        String(f.ok),
        String(f.failed),
        String(f.throttled),
        f.rate.toFixed(0),
        ms(f.p50),
        ms(f.p99),
        ratio(f.p99 / base.p99),
      ]),
    )}\n`,
  );
  for (const [name, f] of phases) {
    const failures = Object.entries(f.statuses).filter(([s]) => !s.startsWith('2') && s !== '429');
    if (failures.length) console.log(`${name}: failures by status ${JSON.stringify(Object.fromEntries(failures))}`);
  }
  for (const [status, body] of Object.entries(run.firstErrors)) console.log(`first ${status === '0' ? 'no reply' : status}: ${body}`);
  const failedRoutes: Record<string, number> = {};
  for (const s of run.samples)
    if ((s.status < 200 || s.status > 299) && s.status !== 429) failedRoutes[s.route] = (failedRoutes[s.route] ?? 0) + 1;
  if (Object.keys(failedRoutes).length) console.log(`failures by route: ${JSON.stringify(failedRoutes)}`);

  console.log(
    `\n${table(
      ['copy', 'SIGTERM to exit ms', 'start to ready ms', 'failed while it restarted', 'RSS after the load MB'],
      restarts.map((r, i) => {
        const now = copies(r.copy.app).find((c) => c.index === r.copy.index);
        const until = restarts[i + 1]?.at ?? after;
        return [
          `${r.copy.app} #${r.copy.index}`,
          r.stopMs.toFixed(0),
          r.readyMs.toFixed(0),
          String(phase(run.samples, r.at, until).failed),
          now ? rssMb(now.pid).toFixed(0) : '-',
        ];
      }),
    )}\n`,
  );
  console.log(`after: ${uptime()}`);
  const failed = phases.reduce((n, [, f]) => n + f.failed, 0);
  if (failed > 0) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
