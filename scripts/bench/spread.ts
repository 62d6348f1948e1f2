/**
 * Load spread across copies: a mixed resident load (home `GET /me`, filing a case, the staff case list, registering
 * for an activity and cancelling) through the cluster's load balancer (`scripts/cluster.sh`: HAProxy, two gateways,
 * copies of every service). First one copy of each service, with the CPU each process spent: the busiest service
 * is the bottleneck (or SPREAD_SERVICE names it). Then 1, 2 and 3 copies of that service, each run reporting
 * req/s, p50/p99, errors and each copy's share of the NATS requests it handled (from its `/metrics`; the copies
 * share a queue group). Baseline: the 1-copy run.
 *
 *   npm run build && npm run bench:spread
 *   SPREAD_SECONDS=30 BENCH_CONNECTIONS=24 node dist/scripts/bench/spread.js
 * Leaves the cluster running with one copy of each service; `bash scripts/cluster.sh down` stops it.
 */
import { LB_URL, SERVICES, cluster, copies, cpuSeconds, residentMix, rpcHandled, servers, uptime } from '../cluster/cluster';
import { clusterLoad, phase } from '../cluster/load';
import { machineLine, ms, positiveEnv, progress, ratio, table } from './support';

const SECONDS = positiveEnv('SPREAD_SECONDS', 20);
const CONNECTIONS = positiveEnv('BENCH_CONNECTIONS', 16);
const RESIDENTS = positiveEnv('SPREAD_RESIDENTS', 8);
const WARMUP_SECONDS = 3;

interface Run {
  copies: number;
  rate: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  shares: number[];
  firstErrors: Record<string, string>;
}

async function main(): Promise<void> {
  console.log('# Spread: a mixed resident load through HAProxy and two gateways, 1, 2 and 3 copies of the bottleneck\n');
  console.log(`before: ${uptime()}`);
  let done = progress('cluster: local servers, one copy of each service, two gateways, HAProxy');
  cluster('up', '1');
  done();
  done = progress(`one community, ${RESIDENTS} residents with accounts, an activity`);
  const { steps } = await residentMix(RESIDENTS);
  done();
  const apps = [...SERVICES, 'api-gateway'] as const;
  const load = () => clusterLoad({ baseUrl: LB_URL, steps, seconds: SECONDS, connections: CONNECTIONS });

  console.log(`\n${machineLine(`${CONNECTIONS} connections, ${SECONDS} s per run after ${WARMUP_SECONDS} s of warm-up`)}`);
  done = progress('(a) one copy of each: CPU per process');
  await clusterLoad({ baseUrl: LB_URL, steps, seconds: WARMUP_SECONDS, connections: CONNECTIONS });
  const processes = [
    ...apps.flatMap((app) => copies(app)).map((c) => ({ app: c.app as string, name: `${c.app} #${c.index}`, pid: c.pid })),
    ...servers().map((s) => ({ app: s.name, name: `${s.name} (server)`, pid: s.pid })),
  ];
  const cpuBefore = processes.map((p) => cpuSeconds(p.pid));
  const first = await load();
  const cpu = processes.map((p, i) => (cpuSeconds(p.pid) - cpuBefore[i]) / ((first.ended - first.started) / 1000));
  done();
  const all = phase(first.samples, first.started, first.ended + 1);
  console.log(`(a) ${all.rate.toFixed(0)} req/s, p50 ${ms(all.p50)} ms, p99 ${ms(all.p99)} ms`);
  console.log(
    `\n${table(
      ['process', 'CPU (cores)', 'share of the CPU the system used'],
      processes.map((p, i) => [
        p.name,
        cpu[i].toFixed(2),
        `${((100 * cpu[i]) / cpu.reduce((a, b) => a + b, 0)).toFixed(0)}%`,
      ]),
    )}\n`,
  );
  const busiest = processes
    .map((p, i) => ({ app: p.app, cpu: cpu[i] }))
    .filter((p) => (SERVICES as readonly string[]).includes(p.app))
    .sort((a, b) => b.cpu - a.cpu)[0].app;
  const service = (process.env.SPREAD_SERVICE ?? busiest) as (typeof SERVICES)[number];
  console.log(`bottleneck service: ${service} (the busiest service process${process.env.SPREAD_SERVICE ? '; SPREAD_SERVICE overrides it' : ''})`);

  const runs: Run[] = [];
  for (const n of [1, 2, 3]) {
    done = progress(`(b) ${n} ${n === 1 ? 'copy' : 'copies'} of ${service}`);
    cluster('scale', service, String(n));
    await clusterLoad({ baseUrl: LB_URL, steps, seconds: WARMUP_SECONDS, connections: CONNECTIONS });
    const serving = copies(service);
    const before = await Promise.all(serving.map(rpcHandled));
    const outcome = await load();
    const after = await Promise.all(serving.map(rpcHandled));
    done();
    const handled = after.map((a, i) => a - before[i]);
    const total = handled.reduce((a, b) => a + b, 0);
    const all = phase(outcome.samples, outcome.started, outcome.ended + 1);
    runs.push({
      copies: n,
      rate: all.rate,
      p50: all.p50,
      p99: all.p99,
      requests: all.requests,
      errors: all.failed + all.throttled,
      shares: handled.map((h) => h / Math.max(1, total)),
      firstErrors: outcome.firstErrors,
    });
  }
  cluster('scale', service, '1');

  const base = runs[0].rate;
  console.log(
    `\n${table(
      [`${service} copies`, 'requests', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'share of its NATS requests per copy', 'vs 1 copy'],
      runs.map((r) => [
        String(r.copies),
        String(r.requests),
        r.rate.toFixed(0),
        ms(r.p50),
        ms(r.p99),
        String(r.errors),
        r.shares.map((s, i) => `#${i + 1} ${(100 * s).toFixed(0)}%`).join(', '),
        ratio(r.rate / base),
      ]),
    )}\n`,
  );
  for (const r of runs)
    for (const [status, body] of Object.entries(r.firstErrors)) console.log(`${r.copies} copies, first ${status || 'no reply'}: ${body}`);
  console.log(`after: ${uptime()}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
