/**
 * What tracing costs on the gateway's request path. The same system is started four times in this process, tracing
 * off and on (every trace sampled, spans batched over OTLP/HTTP) in turn, and each time takes the same load:
 *   (a) GET /api/v1/communities/:id/units/:id   HTTP + auth + one NATS hop + a database read (4 spans)
 *   (b) GET /api/v1/me                          HTTP + eight sections from the services in parallel (~30 spans)
 * Spans go to OTEL_EXPORTER_OTLP_ENDPOINT when set (e.g. the local Jaeger of scripts/tracing.sh), else to a small
 * OTLP/HTTP receiver in this process that counts and drops them. Besides the rate, the process's CPU time per request
 * (servers and load driver, warm-up included) is given: on a shared machine it moves less than the rate does.
 *
 *   npm run build && node dist/scripts/bench/tracing.js
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=20 node dist/scripts/bench/tracing.js
 */
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { Relation, ServiceName } from '@cg/contracts';
import { startTracing, stopTracing } from '@cg/observability';
import {
  BenchSystem,
  DATABASE_NOTE,
  Outcome,
  RUN,
  eventually,
  figures,
  httpLoad,
  logIn,
  machineLine,
  ms,
  positiveEnv,
  ratio,
  table,
} from './support';

const SECONDS = positiveEnv('BENCH_SECONDS', 5);
const CONNECTIONS = positiveEnv('BENCH_CONNECTIONS', 10);
const LOAD = { seconds: SECONDS, connections: CONNECTIONS, warmupSeconds: 1 };

interface Phase {
  tracing: boolean;
  outcomes: Outcome[];
  /** CPU time of this process (servers and load driver) per successful request, ms. */
  cpuMs: number[];
}

/** The load, with the process's CPU time per request: steadier than the rate on a machine others share. */
async function loaded(load: () => Promise<Outcome>): Promise<{ outcome: Outcome; cpuMs: number }> {
  const before = process.cpuUsage();
  const outcome = await load();
  const { user, system } = process.cpuUsage(before);
  return { outcome, cpuMs: (user + system) / 1000 / Math.max(1, outcome.requests) };
}

/** An OTLP/HTTP endpoint that takes every export and drops it, counting the bytes. */
async function otlpSink(): Promise<{ endpoint: string; received: () => number; close: () => void }> {
  let bytes = 0;
  const server = createServer((request, response) => {
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => bytes,
    close: () => server.close(),
  };
}

/** One community, one unit and one resident with an account whose home screen is complete. */
async function seed(system: BenchSystem): Promise<{ unitPath: string; adminToken: string; residentToken: string }> {
  const as = system.admin;
  const community = await as.post('/api/v1/communities', { code: `TRACE${RUN}`, name: 'Trace', district: 'D', street: 'S' });
  const base = `/api/v1/communities/${community.id}`;
  const area = await as.post(`${base}/areas`, { code: 'A1', name: 'Area 1' });
  const grid = await as.post(`${base}/grids`, { areaId: area.id, code: 'G01', name: 'Grid 1' });
  const bulk = await as.post(`${base}/buildings/bulk`, { gridId: grid.id, buildings: [{ code: 'B001', floors: 2, unitsPerFloor: 2 }] });
  const units = await as.get(`${base}/buildings/${bulk.buildings[0].id}/units?limit=1`);
  const unitId = units.items[0].id as string;
  const username = `trace.resident.${RUN}`;
  await as.post(`${base}/residents`, {
    name: 'Trace Resident',
    phone: '13800004321',
    unitId,
    relation: Relation.Owner,
    account: { username, password: 'trace-resident-password' },
  });
  const residentToken = await logIn(system.baseUrl, username, 'trace-resident-password');
  await eventually(
    async () => {
      const me = await system.api(residentToken).get('/api/v1/me');
      return me.profile?.status === 'ok' && me.residence?.status === 'ok';
    },
    'a complete /me',
    15_000,
  );
  return { unitPath: `${base}/units/${unitId}`, adminToken: as.token!, residentToken };
}

async function measure(tracing: boolean, endpoint: string): Promise<Phase> {
  if (tracing) {
    startTracing(ServiceName.Gateway, {
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_SAMPLER: 'always_on', OTEL_SERVICE_NAME: 'bench' },
    });
  }
  const system = new BenchSystem();
  try {
    await system.start();
    const seeded = await seed(system);
    process.stdout.write(`  tracing ${tracing ? 'on ' : 'off'} ...`);
    const runs = [
      await loaded(() => httpLoad(system.baseUrl, [{ method: 'GET', path: seeded.unitPath, token: seeded.adminToken }], LOAD)),
      await loaded(() => httpLoad(system.baseUrl, [{ method: 'GET', path: '/api/v1/me', token: seeded.residentToken }], LOAD)),
    ];
    const failed = runs.find((r) => r.outcome.firstError)?.outcome.firstError;
    process.stdout.write(` done${failed ? ` (first error: ${failed})` : ''}\n`);
    return { tracing, outcomes: runs.map((r) => r.outcome), cpuMs: runs.map((r) => r.cpuMs) };
  } finally {
    await system.stop();
    if (tracing) await stopTracing();
  }
}

async function main(): Promise<void> {
  console.log('# Tracing overhead\n');
  console.log(DATABASE_NOTE);
  const sink = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? undefined : await otlpSink();
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? sink!.endpoint;
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  const phases: Phase[] = [];
  for (const tracing of [false, true, false, true]) phases.push(await measure(tracing, endpoint));
  const loadAfter = loadavg().map((l) => l.toFixed(2)).join(' ');

  const scenarios = ['(a) GET /communities/:id/units/:id', '(b) GET /me'];
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  const lines = scenarios.flatMap((scenario, i) => {
    const off = phases.filter((p) => !p.tracing);
    const offRate = mean(off.map((p) => figures(p.outcomes[i]).rate));
    const offCpu = mean(off.map((p) => p.cpuMs[i]));
    return phases.map((phase, run) => {
      const f = figures(phase.outcomes[i]);
      return [
        `${scenario}, tracing ${phase.tracing ? 'on' : 'off'} (run ${run + 1})`,
        f.rate.toFixed(0),
        ms(f.p50),
        ms(f.p99),
        String(phase.outcomes[i].errors),
        ratio(f.rate / offRate),
        phase.cpuMs[i].toFixed(2),
        ratio(phase.cpuMs[i] / offCpu),
      ];
    });
  });
  console.log(`\n${machineLine(`${CONNECTIONS} connections, ${SECONDS} s per scenario after 1 s warm-up`)}`);
  console.log(`load average (1, 5, 15 min): ${load} before, ${loadAfter} after`);
  console.log(`spans exported to ${sink ? 'a receiver in this process' : endpoint}${sink ? `, ${(sink.received() / 1024).toFixed(0)} KiB received` : ''}\n`);
  console.log(
    table(['scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'req/s vs off (mean)', 'CPU ms/req', 'CPU vs off (mean)'], lines),
  );
  sink?.close();
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
