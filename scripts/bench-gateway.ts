/**
 * What each layer of the gateway's request path costs, on this machine:
 *   (a) GET /health/live                         HTTP only, the baseline
 *   (b) GET /api/v1/communities/:id/units/:id    HTTP + auth + one NATS hop + a database read
 *   (c) GET /api/v1/me                           HTTP + two services asked in parallel
 *   (d) the same unit lookup through RpcClient   NATS + database, no HTTP
 * Membership, grid and the gateway run in this process on a NATS server of the bench alone and the local
 * MongoDB-compatible server; the HTTP load comes from a worker thread so the client's own work does not share
 * the servers' event loop.
 *
 *   npm run build && node dist/scripts/bench-gateway.js
 *   BENCH_SECONDS=10 BENCH_CONNECTIONS=20 node dist/scripts/bench-gateway.js
 */
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Connection } from 'mongoose';
import { GridRpc, Relation, ServiceName } from '@cg/contracts';
import { RpcClient, startServiceApp } from '@cg/messaging';
import { ServiceConfig, loadServiceConfig } from '@cg/observability';
import { loadGatewayConfig } from '../apps/api-gateway/src/config';
import { startGateway } from '../apps/api-gateway/src/gateway-app';
import { GridAppModule } from '../apps/grid/src/app.module';
import { MembershipAppModule } from '../apps/membership/src/app.module';

const ROOT = [resolve(__dirname, '..'), resolve(__dirname, '../..')].find((dir) =>
  existsSync(join(dir, 'scripts/servers.sh')),
)!;
const SECONDS = positiveEnv('BENCH_SECONDS', 5);
const CONNECTIONS = positiveEnv('BENCH_CONNECTIONS', 10);
const WARMUP_SECONDS = 1;
const RUN = randomBytes(4).toString('hex');
const ADMIN = { username: 'bench.admin', password: `bench-admin-${RUN}` };

interface Outcome {
  requests: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  latenciesMs: number[];
}

interface Row extends Outcome {
  name: string;
}

function positiveEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/**
 * Keeps `connections` calls in flight for `seconds`. Self-contained (no imports, no outer names) because the
 * HTTP scenarios run its source text in a worker thread.
 */
async function drive(seconds: number, connections: number, call: () => Promise<void>): Promise<Outcome> {
  const latenciesMs: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const end = started + seconds * 1000;
  const loop = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await call();
        latenciesMs.push(performance.now() - t0);
      } catch (error) {
        errors += 1;
        firstError ??= String((error as Error)?.message ?? error);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  return {
    requests: latenciesMs.length,
    errors,
    firstError,
    elapsedMs: performance.now() - started,
    latenciesMs,
  };
}

const HTTP_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const drive = ${drive.toString()};
const { url, headers, seconds, warmupSeconds, connections } = workerData;
const call = async () => {
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error('HTTP ' + response.status);
};
drive(warmupSeconds, connections, call)
  .then(() => drive(seconds, connections, call))
  .then((outcome) => parentPort.postMessage(outcome), (error) => parentPort.postMessage({ failed: String(error) }));
`;

function httpLoad(url: string, headers: Record<string, string>): Promise<Outcome> {
  return new Promise((done, fail) => {
    const worker = new Worker(HTTP_WORKER, {
      eval: true,
      workerData: { url, headers, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, connections: CONNECTIONS },
    });
    worker.once('message', (message: Outcome | { failed: string }) => {
      void worker.terminate();
      if ('failed' in message) fail(new Error(message.failed));
      else done(message);
    });
    worker.once('error', fail);
  });
}

async function inProcessLoad(call: () => Promise<void>): Promise<Outcome> {
  await drive(WARMUP_SECONDS, CONNECTIONS, call);
  return drive(SECONDS, CONNECTIONS, call);
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1', () => (socket.end(), done(true)));
      socket.once('error', () => done(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A NATS server of the bench alone, so no other running copy of a service joins its queue groups. */
async function privateNats(): Promise<{ url: string; stop(): Promise<void> }> {
  const bin =
    ['/usr/sbin/nats-server', '/usr/bin/nats-server'].find((path) => existsSync(path)) ?? 'nats-server';
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cg-bench-nats-'));
  const child: ChildProcess = spawn(bin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], {
    stdio: 'ignore',
  });
  await waitForPort(port);
  return {
    url: `nats://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function api<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Seeded {
  adminToken: string;
  residentToken: string;
  communityId: string;
  unitId: string;
}

/** One community with a grid, a building and one resident with an account, all through the public API. */
async function seed(baseUrl: string): Promise<Seeded> {
  const adminToken = (await api(baseUrl, 'POST', '/api/v1/auth/login', undefined, ADMIN))
    .accessToken as string;
  const as = <T = any>(method: string, path: string, body?: unknown) =>
    api<T>(baseUrl, method, path, adminToken, body);
  const community = await as('POST', '/api/v1/communities', {
    code: `BENCH${RUN}`,
    name: 'Bench Community',
    district: 'Bench District',
    street: 'Bench Street',
  });
  const communityId = community.id as string;
  const area = await as('POST', `/api/v1/communities/${communityId}/areas`, { code: 'A1', name: 'Area 1' });
  const grid = await as('POST', `/api/v1/communities/${communityId}/grids`, {
    areaId: area.id,
    code: 'G01',
    name: 'Grid 1',
  });
  const bulk = await as('POST', `/api/v1/communities/${communityId}/buildings/bulk`, {
    gridId: grid.id,
    buildings: [{ code: 'B001', floors: 6, unitsPerFloor: 2 }],
  });
  const units = await as(
    'GET',
    `/api/v1/communities/${communityId}/buildings/${bulk.buildings[0].id}/units?limit=3`,
  );
  const unitId = units.items[2].id as string;
  const username = `bench.resident.${RUN}`;
  await as('POST', `/api/v1/communities/${communityId}/residents`, {
    name: 'Bench Resident',
    phone: '13800001234',
    unitId,
    relation: Relation.Owner,
    account: { username, password: 'bench-resident-password' },
  });
  const residentToken = (
    await api(baseUrl, 'POST', '/api/v1/auth/login', undefined, {
      username,
      password: 'bench-resident-password',
    })
  ).accessToken as string;
  // The residence section comes from grid's read model, built from membership's event: wait until it has it.
  await eventually(async () => {
    const me = await api(baseUrl, 'GET', '/api/v1/me', residentToken);
    return me.profile?.status === 'ok' && me.residence?.status === 'ok';
  }, 'a complete /me');
  return { adminToken, residentToken, communityId, unitId };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))] : NaN;
}

function table(rows: Row[]): string {
  const baseline = rows[0].requests / (rows[0].elapsedMs / 1000);
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'vs (a)'];
  const lines = rows.map((row) => {
    const sorted = [...row.latenciesMs].sort((x, y) => x - y);
    const rate = row.requests / (row.elapsedMs / 1000);
    return [
      row.name,
      rate.toFixed(0),
      percentile(sorted, 0.5).toFixed(2),
      percentile(sorted, 0.99).toFixed(2),
      String(row.errors),
      `${(rate / baseline).toFixed(2)}x`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [format(header), rule, ...lines.map(format)].join('\n');
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  execFileSync('bash', [join(ROOT, 'scripts/servers.sh'), 'up'], { stdio: 'inherit' });
  const nats = process.env.NATS_URL ? undefined : await privateNats();
  const env = {
    ...process.env,
    NATS_URL: process.env.NATS_URL ?? nats!.url,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  };
  const config = (service: string): ServiceConfig => ({
    ...loadServiceConfig(service, 0, env),
    mongoDb: `bench_${RUN}_${service.replace(/-/g, '_')}`,
    httpPort: 0,
  });
  const apps: INestApplication[] = [];
  const databases: Connection[] = [];
  try {
    const membership = await startServiceApp(
      MembershipAppModule.register(config(ServiceName.Membership), ADMIN),
      config(ServiceName.Membership),
    );
    apps.push(membership);
    const grid = await startServiceApp(
      GridAppModule.register(config(ServiceName.Grid)),
      config(ServiceName.Grid),
    );
    apps.push(grid);
    databases.push(
      membership.get<Connection>(getConnectionToken()),
      grid.get<Connection>(getConnectionToken()),
    );
    const gateway = await startGateway({
      ...loadGatewayConfig(env),
      ...config(ServiceName.Gateway),
      rateLimitPerMinute: 1_000_000_000,
    });
    apps.unshift(gateway);
    const baseUrl = (await gateway.getUrl()).replace('[::1]', '127.0.0.1');

    const seeded = await seed(baseUrl);
    const rpc = gateway.get(RpcClient);
    const unitPath = `/api/v1/communities/${seeded.communityId}/units/${seeded.unitId}`;
    const admin = { authorization: `Bearer ${seeded.adminToken}` };
    const resident = { authorization: `Bearer ${seeded.residentToken}` };

    console.log(
      `\nnode ${process.version}, ${cpus().length} cores, ${CONNECTIONS} connections, ${SECONDS} s per scenario after ${WARMUP_SECONDS} s warm-up`,
    );
    const rssBefore = process.memoryUsage().rss;
    const rows: Row[] = [];
    const run = async (name: string, load: () => Promise<Outcome>) => {
      process.stdout.write(`  ${name} ...`);
      const outcome = await load();
      rows.push({ name, ...outcome });
      process.stdout.write(` done${outcome.firstError ? ` (first error: ${outcome.firstError})` : ''}\n`);
    };
    await run('(a) GET /health/live', () => httpLoad(`${baseUrl}/health/live`, {}));
    await run('(b) GET /communities/:id/units/:id', () => httpLoad(`${baseUrl}${unitPath}`, admin));
    await run('(c) GET /me (membership + grid)', () => httpLoad(`${baseUrl}/api/v1/me`, resident));
    await run('(d) RpcClient grid.units.get', () =>
      inProcessLoad(async () => {
        await rpc.send(
          GridRpc.getUnit,
          { communityId: seeded.communityId, unitId: seeded.unitId },
          { token: seeded.adminToken },
        );
      }),
    );
    const rssAfter = process.memoryUsage().rss;

    console.log(`\n${table(rows)}\n`);
    console.log(`process RSS: ${mb(rssBefore)} before the load, ${mb(rssAfter)} after`);
    console.log(
      "(a)-(c) are driven from a worker thread over HTTP keep-alive; (d) runs on the servers' own thread.",
    );
  } finally {
    for (const db of databases) await db.dropDatabase().catch(() => undefined);
    for (const app of apps) await app.close().catch(() => undefined);
    await nats?.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
