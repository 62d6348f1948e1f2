/**
 * What every benchmark shares: the whole system in this process on a NATS server of the bench alone and the local
 * MongoDB-compatible server (databases named `bench_<run>_<service>`, dropped at the end), an HTTP client, a load
 * runner in a worker thread, percentiles, tables and RSS sampling.
 */
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, scrypt } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Connection, Types, createConnection } from 'mongoose';
import { ImportJobView, ImportReportView, ImportStatus, Relation, Role, ServiceName } from '@cg/contracts';
import { RpcClient, startServiceApp } from '@cg/messaging';
import { ServiceConfig, loadServiceConfig } from '@cg/observability';
import { loadGatewayConfig } from '../../apps/api-gateway/src/config';
import { startGateway } from '../../apps/api-gateway/src/gateway-app';
import { ActivitiesAppModule } from '../../apps/activities/src/app.module';
import { GridAppModule } from '../../apps/grid/src/app.module';
import { MembershipAppModule } from '../../apps/membership/src/app.module';
import { PropertyAppModule } from '../../apps/property/src/app.module';

export const ROOT = [resolve(__dirname, '../..'), resolve(__dirname, '../../..')].find((dir) =>
  existsSync(join(dir, 'scripts/servers.sh')),
)!;
export const RUN = randomBytes(4).toString('hex');
export const ADMIN = { username: 'bench.admin', password: `bench-admin-${RUN}` };
export const DATABASE_NOTE =
  'Database: the local mongo-java-server (`scripts/servers.sh up`: H2 file backend unless MONGO_BACKEND=memory) unless ' +
  'MONGO_URL names another. It uses only `_id` and unique indexes; other filters scan in the JVM, so list and ' +
  'statistics figures grow with the data there. Production MongoDB uses every index the schemas declare.';

export function positiveEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`${what} not reached within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await sleep(200);
  }
}

/** Runs `work` over `items` with at most `concurrency` in flight; results keep the order of the items. */
export async function mapLimit<T, R>(
  items: T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await work();
  return { value, ms: performance.now() - t0 };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what} answered ${status}: ${body.slice(0, 500)}`);
  }
}

export interface Api {
  readonly baseUrl: string;
  readonly token?: string;
  call<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  get<T = any>(path: string): Promise<T>;
  post<T = any>(path: string, body?: unknown): Promise<T>;
  put<T = any>(path: string, body?: unknown): Promise<T>;
}

/** Real HTTP to the listening gateway; a reply outside 2xx throws `HttpError`. */
export function api(baseUrl: string, token?: string): Api {
  const call = async <T = any>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(token && { authorization: `Bearer ${token}` }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new HttpError(response.status, text, `${method} ${path}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    baseUrl,
    token,
    call,
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
  };
}

/** Repeats an idempotent call the gateway gave up on (503/504); counts the repeats in `retries`. */
export async function retrying<T>(
  work: () => Promise<T>,
  retries: { count: number },
  attempts = 4,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const status = (error as HttpError).status;
      if (attempt >= attempts || (status !== 503 && status !== 504)) throw error;
      retries.count += 1;
      await sleep(500 * attempt);
    }
  }
}

export async function logIn(baseUrl: string, username: string, password: string): Promise<string> {
  const reply = await api(baseUrl).post<{ accessToken: string }>('/api/v1/auth/login', {
    username,
    password,
  });
  return reply.accessToken;
}

export interface RequestSpec {
  method: string;
  path: string;
  token?: string;
  body?: unknown;
}

export interface Outcome {
  requests: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  /** Of the successful calls. */
  latenciesMs: number[];
  /** Of the calls that failed (an error reply or no reply). */
  errorLatenciesMs: number[];
  /** How many replies had each HTTP status (load from a request list only). */
  statuses?: Record<string, number>;
}

export interface LoadOptions {
  connections: number;
  seconds?: number;
  warmupSeconds?: number;
}

/**
 * Keeps `connections` calls in flight, for `seconds` or until `take` has nothing more. Self-contained (no imports,
 * no outer names) because the HTTP loads run its source text in a worker thread.
 */
async function drive(
  seconds: number,
  connections: number,
  call: (index: number) => Promise<void>,
  total?: number,
): Promise<{
  requests: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  latenciesMs: number[];
  errorLatenciesMs: number[];
}> {
  const latenciesMs: number[] = [];
  const errorLatenciesMs: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  const loop = async () => {
    for (;;) {
      if (total === undefined ? performance.now() >= end : next >= total) return;
      const index = next++;
      const t0 = performance.now();
      try {
        await call(index);
        latenciesMs.push(performance.now() - t0);
      } catch (error) {
        errorLatenciesMs.push(performance.now() - t0);
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
    errorLatenciesMs,
  };
}

const HTTP_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const drive = ${drive.toString()};
const { specs, fixed, seconds, warmupSeconds, connections } = workerData;
const statuses = {};
const call = async (index) => {
  const spec = specs[index % specs.length];
  const response = await fetch(spec.url, { method: spec.method, headers: spec.headers, body: spec.body });
  const text = await response.text();
  if (fixed) statuses[response.status] = (statuses[response.status] || 0) + 1;
  if (response.status < 200 || response.status > 299) throw new Error(spec.method + ' ' + spec.url + ' answered ' + response.status + ': ' + text.slice(0, 300));
};
const run = fixed
  ? drive(0, connections, call, specs.length)
  : drive(warmupSeconds, connections, call).then(() => drive(seconds, connections, call));
run.then(
  (outcome) => parentPort.postMessage(fixed ? { ...outcome, statuses } : outcome),
  (error) => parentPort.postMessage({ failed: String(error) }),
);
`;

function toWire(baseUrl: string, spec: RequestSpec) {
  return {
    url: `${baseUrl}${spec.path}`,
    method: spec.method,
    headers: {
      ...(spec.body !== undefined && { 'content-type': 'application/json' }),
      ...(spec.token && { authorization: `Bearer ${spec.token}` }),
    },
    body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
  };
}

function inWorker(workerData: object): Promise<Outcome> {
  return new Promise((done, fail) => {
    const worker = new Worker(HTTP_WORKER, { eval: true, workerData });
    worker.once('message', (message: Outcome | { failed: string }) => {
      void worker.terminate();
      if ('failed' in message) fail(new Error(message.failed));
      else done(message);
    });
    worker.once('error', fail);
  });
}

/**
 * HTTP load from a worker thread (so the client's work does not share the servers' event loop): `specs` are taken
 * in turn for `seconds` after a warm-up. Any reply outside 2xx counts as an error.
 */
export function httpLoad(baseUrl: string, specs: RequestSpec[], options: LoadOptions): Promise<Outcome> {
  return inWorker({
    specs: specs.map((s) => toWire(baseUrl, s)),
    fixed: false,
    seconds: options.seconds ?? 5,
    warmupSeconds: options.warmupSeconds ?? 1,
    connections: options.connections,
  });
}

/** Every request of the list exactly once, `connections` at a time, from a worker thread; no warm-up. */
export function httpBurst(baseUrl: string, specs: RequestSpec[], connections: number): Promise<Outcome> {
  return inWorker({
    specs: specs.map((s) => toWire(baseUrl, s)),
    fixed: true,
    seconds: 0,
    warmupSeconds: 0,
    connections,
  });
}

export interface OpenLoopOptions {
  /** Requests started per second, whatever the replies (open loop). */
  rate: number;
  seconds: number;
  /** A request without a reply by then counts as "no reply". */
  timeoutMs?: number;
  /** Sent after the load stops, until it answers 2xx within `probeWithinMs`: the recovery time. */
  probe?: RequestSpec;
  probeWithinMs?: number;
}

export interface OpenLoopOutcome {
  /** Requests started and the time it took to start them. */
  offered: number;
  offeredMs: number;
  /** From the first request to the last reply. */
  elapsedMs: number;
  /** Replies by HTTP status; "no reply" for a timeout or a refused connection. */
  statuses: Record<string, number>;
  /** Of the 2xx replies. */
  latenciesMs: number[];
  /** Replies by status for each method and path (without the query). */
  byRoute: Record<string, Record<string, number>>;
  /** 503 replies that carried Retry-After. */
  retryAfter503: number;
  /** From the end of the load until the probe answered 2xx in time; undefined without a probe or when it never did. */
  recoveryMs?: number;
  probes: number;
}

const OPEN_LOOP_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { specs, rate, seconds, timeoutMs, probe, probeWithinMs } = workerData;
const statuses = {};
const latenciesMs = [];
let retryAfter503 = 0;
const byRoute = {};
const count = (spec, key) => {
  statuses[key] = (statuses[key] || 0) + 1;
  const route = (byRoute[spec.method + ' ' + new URL(spec.url).pathname] ??= {});
  route[key] = (route[key] || 0) + 1;
};
const send = async (spec) => {
  const t0 = performance.now();
  try {
    const response = await fetch(spec.url, { method: spec.method, headers: spec.headers, body: spec.body, signal: AbortSignal.timeout(timeoutMs) });
    await response.text();
    count(spec, response.status);
    if (response.status >= 200 && response.status < 300) latenciesMs.push(performance.now() - t0);
    if (response.status === 503 && response.headers.get('retry-after') !== null) retryAfter503 += 1;
    return { status: response.status, ms: performance.now() - t0 };
  } catch {
    count(spec, 'no reply');
    return { status: 0, ms: performance.now() - t0 };
  }
};
(async () => {
  const started = performance.now();
  const total = Math.round(rate * seconds);
  const inFlight = [];
  let issued = 0;
  // Starts every request whose time has come, on a 5 ms tick, so a slow reply never delays the next request.
  await new Promise((done) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      while (issued < due) inFlight.push(send(specs[issued++ % specs.length]));
      if (issued >= total) (clearInterval(tick), done());
    }, 5);
  });
  const offeredMs = performance.now() - started;
  let recoveryMs;
  let probes = 0;
  if (probe) {
    const stopped = performance.now();
    for (;;) {
      probes += 1;
      const t0 = performance.now();
      let ok = false;
      try {
        const response = await fetch(probe.url, { method: probe.method, headers: probe.headers, body: probe.body, signal: AbortSignal.timeout(probeWithinMs) });
        await response.text();
        ok = response.status >= 200 && response.status < 300 && performance.now() - t0 < probeWithinMs;
      } catch {}
      if (ok) { recoveryMs = performance.now() - stopped; break; }
      if (performance.now() - stopped > 300000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await Promise.all(inFlight);
  parentPort.postMessage({ offered: issued, offeredMs, elapsedMs: performance.now() - started, statuses, byRoute, latenciesMs, retryAfter503, recoveryMs, probes });
})().catch((error) => parentPort.postMessage({ failed: String(error) }));
`;

/**
 * Open-loop HTTP load from a worker thread: `rate` requests a second for `seconds`, each started on time whatever
 * the replies of the others, `specs` taken in turn; then the probe until it answers 2xx in time.
 */
export function httpOpenLoad(
  baseUrl: string,
  specs: RequestSpec[],
  options: OpenLoopOptions,
): Promise<OpenLoopOutcome> {
  return new Promise((done, fail) => {
    const worker = new Worker(OPEN_LOOP_WORKER, {
      eval: true,
      workerData: {
        specs: specs.map((s) => toWire(baseUrl, s)),
        rate: options.rate,
        seconds: options.seconds,
        timeoutMs: options.timeoutMs ?? 10_000,
        probe: options.probe && toWire(baseUrl, options.probe),
        probeWithinMs: options.probeWithinMs ?? 1000,
      },
    });
    worker.once('message', (message: OpenLoopOutcome | { failed: string }) => {
      void worker.terminate();
      if ('failed' in message) fail(new Error(message.failed));
      else done(message);
    });
    worker.once('error', fail);
  });
}

/** Load on the servers' own thread (RPC without HTTP): for `seconds` after a warm-up. */
export async function inProcessLoad(call: () => Promise<unknown>, options: LoadOptions): Promise<Outcome> {
  const once = async () => void (await call());
  await drive(options.warmupSeconds ?? 1, options.connections, once);
  return drive(options.seconds ?? 5, options.connections, once);
}

/** Every index 0..total-1 once, on the servers' own thread. */
export function inProcessBurst(
  total: number,
  connections: number,
  call: (index: number) => Promise<unknown>,
): Promise<Outcome> {
  return drive(0, connections, async (i) => void (await call(i)), total);
}

export function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))] : NaN;
}

export interface Figures {
  rate: number;
  p50: number;
  p99: number;
  max: number;
}

/** Rate of successful calls; latencies of successful calls, or of every call with `everyReply`. */
export function figures(outcome: Outcome, everyReply = false): Figures {
  const sorted = [...outcome.latenciesMs, ...(everyReply ? outcome.errorLatenciesMs : [])].sort(
    (x, y) => x - y,
  );
  return {
    rate: outcome.requests / (outcome.elapsedMs / 1000),
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

export const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(value < 100 ? 2 : 0) : '-');
export const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}x` : '-');
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** A Markdown table; the first column is left-aligned, the others right-aligned. */
export function table(header: string[], lines: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [format(header), rule, ...lines.map(format)].join('\n');
}

export interface LoadRow {
  name: string;
  outcome: Outcome;
}

/** Requests/s, p50, p99 and errors of each row, with the rate of each row over the rate of `rows[baseline]`. */
export function loadTable(
  rows: LoadRow[],
  baseline = 0,
  baselineLabel = `vs ${rows[baseline].name.split(' ')[0]}`,
): string {
  const base = figures(rows[baseline].outcome).rate;
  return table(
    ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', baselineLabel],
    rows.map(({ name, outcome }) => {
      const f = figures(outcome);
      return [name, f.rate.toFixed(0), ms(f.p50), ms(f.p99), String(outcome.errors), ratio(f.rate / base)];
    }),
  );
}

/** Samples the process's resident set size; the peak catches what a burst costs. */
export class RssSampler {
  readonly start = process.memoryUsage().rss;
  peak = this.start;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 200) {
    this.timer = setInterval(() => (this.peak = Math.max(this.peak, process.memoryUsage().rss)), intervalMs);
    this.timer.unref();
  }

  stop(): string {
    clearInterval(this.timer);
    const end = process.memoryUsage().rss;
    this.peak = Math.max(this.peak, end);
    return `process RSS: ${mb(this.start)} before, ${mb(this.peak)} at the peak, ${mb(end)} after`;
  }
}

export function machineLine(extra: string): string {
  return `node ${process.version}, ${cpus().length} cores, ${extra}`;
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
    await sleep(50);
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

export type ServiceKey = 'membership' | 'grid' | 'activities' | 'property';

/**
 * The services and the gateway in this process. Each service has its own database `bench_<run>_<service>`, dropped
 * by `stop`; the gateway's rate limit is lifted so the load is not refused.
 */
export class BenchSystem {
  readonly apps = new Map<ServiceKey | 'gateway', INestApplication>();
  baseUrl = '';
  admin!: Api;
  private nats?: { url: string; stop(): Promise<void> };
  private env: NodeJS.ProcessEnv = process.env;

  config(service: string): ServiceConfig {
    return {
      ...loadServiceConfig(service, 0, this.env),
      mongoDb: `bench_${RUN}_${service.replace(/-/g, '_')}`,
      httpPort: 0,
    };
  }

  async start(services: ServiceKey[] = ['membership', 'grid', 'activities', 'property']): Promise<this> {
    execFileSync('bash', [join(ROOT, 'scripts/servers.sh'), 'up'], { stdio: 'inherit' });
    this.nats = process.env.NATS_URL ? undefined : await privateNats();
    this.env = {
      ...process.env,
      NATS_URL: process.env.NATS_URL ?? this.nats!.url,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      RPC_TIMEOUT_MS: process.env.RPC_TIMEOUT_MS ?? '3000',
    };
    const modules = {
      membership: () => MembershipAppModule.register(this.config(ServiceName.Membership), ADMIN),
      grid: () => GridAppModule.register(this.config(ServiceName.Grid)),
      activities: () => ActivitiesAppModule.register(this.config(ServiceName.Activities)),
      property: () => PropertyAppModule.register(this.config(ServiceName.Property)),
    };
    const names: Record<ServiceKey, string> = {
      membership: ServiceName.Membership,
      grid: ServiceName.Grid,
      activities: ServiceName.Activities,
      property: ServiceName.Property,
    };
    for (const key of services) {
      this.apps.set(key, await startServiceApp(modules[key](), this.config(names[key])));
    }
    const gateway = await startGateway({
      ...loadGatewayConfig(this.env),
      ...this.config(ServiceName.Gateway),
      rateLimitPerMinute: 1_000_000_000,
    });
    this.apps.set('gateway', gateway);
    this.baseUrl = (await gateway.getUrl()).replace('[::1]', '127.0.0.1');
    this.admin = api(this.baseUrl, await logIn(this.baseUrl, ADMIN.username, ADMIN.password));
    return this;
  }

  /** The gateway's RPC client: calls services over NATS exactly as the gateway does, without HTTP. */
  get rpc(): RpcClient {
    return this.apps.get('gateway')!.get(RpcClient);
  }

  /** A service's own database connection (its database alone). */
  database(service: ServiceKey): Connection {
    return this.apps.get(service)!.get<Connection>(getConnectionToken());
  }

  api(token?: string): Api {
    return api(this.baseUrl, token);
  }

  /** Closes every app first, so no relay or sweep writes after the drop, then drops the bench's databases. */
  async stop(): Promise<void> {
    const names = [...this.apps.keys()]
      .filter((k) => k !== 'gateway')
      .map((k) => this.database(k as ServiceKey).name);
    await this.apps
      .get('gateway')
      ?.close()
      .catch(() => undefined);
    for (const [key, app] of this.apps) if (key !== 'gateway') await app.close().catch(() => undefined);
    const mongoUrl = this.config(ServiceName.Gateway).mongoUrl;
    const connection = await createConnection(mongoUrl)
      .asPromise()
      .catch(() => undefined);
    for (const name of names)
      await connection
        ?.useDb(name)
        .dropDatabase()
        .catch(() => undefined);
    await connection?.close();
    await this.nats?.stop();
  }
}

/** Starts the system, runs the bench, always drops the databases, and exits 1 on failure. */
export function runBench(
  title: string,
  services: ServiceKey[] | undefined,
  bench: (system: BenchSystem) => Promise<void>,
): void {
  const system = new BenchSystem();
  const main = async () => {
    console.log(`# ${title}\n`);
    console.log(DATABASE_NOTE);
    try {
      await system.start(services);
      await bench(system);
    } finally {
      await system.stop();
    }
  };
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}

export function progress(what: string): () => void {
  const t0 = performance.now();
  process.stdout.write(`  ${what} ...`);
  return () => process.stdout.write(` ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

export interface SeededUnit {
  id: string;
  code: string;
  buildingCode: string;
  buildingId: string;
  gridId: string;
}

export interface SeededCommunity {
  communityId: string;
  areaId: string;
  gridIds: string[];
  buildingIds: string[];
  /** Every unit, building by building. */
  units: SeededUnit[];
}

export interface CommunityShape {
  code: string;
  district?: string;
  buildings: number;
  grids: number;
  floors: number;
  unitsPerFloor: number;
  /**
   * false: units carry codes only (no ids), computed from the shape the way grid numbers them, instead of listing
   * every building's units (a request per building).
   */
  listUnits?: boolean;
}

/** A community with one residential area, `grids` grids and `buildings` buildings shared out among them. */
export async function seedCommunity(admin: Api, shape: CommunityShape): Promise<SeededCommunity> {
  const community = await admin.post('/api/v1/communities', {
    code: shape.code,
    name: `Bench community ${shape.code}`,
    district: shape.district ?? 'Bench District',
    street: 'Bench Street',
  });
  const communityId = community.id as string;
  const base = `/api/v1/communities/${communityId}`;
  const area = await admin.post(`${base}/areas`, { code: 'A1', name: 'Residential area 1' });
  const gridIds: string[] = [];
  for (let g = 0; g < shape.grids; g++) {
    const code = `G${String(g + 1).padStart(2, '0')}`;
    gridIds.push((await admin.post(`${base}/grids`, { areaId: area.id, code, name: `Grid ${g + 1}` })).id);
  }
  const buildingIds: string[] = [];
  for (let g = 0; g < shape.grids; g++) {
    const specs = [];
    for (let b = g; b < shape.buildings; b += shape.grids) {
      specs.push({
        code: `B${String(b + 1).padStart(3, '0')}`,
        floors: shape.floors,
        unitsPerFloor: shape.unitsPerFloor,
      });
    }
    if (specs.length === 0) continue;
    const bulk = await admin.post(`${base}/buildings/bulk`, { gridId: gridIds[g], buildings: specs });
    buildingIds.push(...bulk.buildings.map((b: { id: string }) => b.id));
  }
  if (shape.listUnits === false) {
    const units: SeededUnit[] = [];
    for (let b = 0; b < shape.buildings; b++) {
      for (let floor = 1; floor <= shape.floors; floor++) {
        for (let door = 1; door <= shape.unitsPerFloor; door++) {
          const code = `${floor}${String(door).padStart(2, '0')}`;
          units.push({ id: '', code, buildingCode: `B${String(b + 1).padStart(3, '0')}`, buildingId: '', gridId: '' });
        }
      }
    }
    return { communityId, areaId: area.id, gridIds, buildingIds, units };
  }
  const retries = { count: 0 };
  const perBuilding = await mapLimit(buildingIds, 2, async (buildingId) => {
    const found: SeededUnit[] = [];
    let cursor: string | undefined;
    do {
      const page = await retrying(
        () =>
          admin.get(`${base}/buildings/${buildingId}/units?limit=200${cursor ? `&cursor=${cursor}` : ''}`),
        retries,
      );
      found.push(
        ...page.items.map((u: SeededUnit) => ({
          id: u.id,
          code: u.code,
          buildingCode: u.buildingCode,
          buildingId: u.buildingId,
          gridId: u.gridId,
        })),
      );
      cursor = page.nextCursor;
    } while (cursor);
    return found;
  });
  return { communityId, areaId: area.id, gridIds, buildingIds, units: perBuilding.flat() };
}

/**
 * Submits a residents file as text/csv and follows the import until it ends; answers its report, or throws with the
 * import's problems when it was rejected or failed.
 */
export async function importFile(admin: Api, communityId: string, csv: string): Promise<ImportReportView> {
  const path = `/api/v1/communities/${communityId}/residents/imports`;
  const response = await fetch(`${admin.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${admin.token}` },
    body: csv,
  });
  const text = await response.text();
  if (response.status !== 202) throw new HttpError(response.status, text, 'the import');
  const id = (JSON.parse(text) as ImportJobView).id;
  for (;;) {
    const job = await admin.get<ImportJobView>(`${path}/${id}`);
    if (job.status === ImportStatus.Completed) return job.report!;
    if (job.status === ImportStatus.Rejected || job.status === ImportStatus.Failed)
      throw new Error(`the import ended ${job.status}: ${job.message} ${JSON.stringify(job.errors?.slice(0, 5))}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface SeededResident {
  personId: string;
  name: string;
  unitId: string;
  username: string;
  password: string;
  token?: string;
}

export interface ResidentOptions {
  /** `owner` rows carry an area, so the import also records them as owners of record. */
  relation?: 'owner' | 'tenant' | 'family_member';
  /** Roles of the app accounts; by default what the API gives the relation. */
  roles?: Role[];
  prefix?: string;
  concurrency?: number;
  /** Registers each resident with an account through the API (as BENCH_API_ACCOUNTS=1 does). */
  throughApi?: boolean;
}

/** What seeding residents needs of a system: the API as administrator and membership's own database. */
export type ResidentSeedTarget = Pick<BenchSystem, 'admin' | 'baseUrl'> & {
  database(service: 'membership'): Connection;
};

/** Residents with app accounts registered one by one through the API, for a system whose database is out of reach. */
export function seedResidentsThroughApi(
  admin: Api,
  baseUrl: string,
  communityId: string,
  units: SeededUnit[],
  prefix: string,
): Promise<SeededResident[]> {
  const database = () => {
    throw new Error('accounts are registered through the API');
  };
  return seedResidents({ admin, baseUrl, database }, communityId, units, { prefix, relation: 'tenant', throughApi: true });
}

/**
 * One resident per given unit, registered through the API's residents import (one request: registering them one by
 * one runs into the gateway's timeout on a busy machine), each with an app account, logged in.
 *
 * Accounts: the API hashes a password with scrypt N=2^15 (about 100 ms of CPU on this machine), so a thousand
 * accounts would spend minutes of setup. By default the bench writes each account straight into its own membership
 * database, in the shape the API writes, with a hash of lower cost (the cost travels inside the hash, so login
 * verifies it as it is). BENCH_API_ACCOUNTS=1 registers the residents one by one with their accounts through the
 * API instead. Login always goes through the API.
 */
export async function seedResidents(
  system: ResidentSeedTarget,
  communityId: string,
  units: SeededUnit[],
  options: ResidentOptions = {},
): Promise<SeededResident[]> {
  const relation = options.relation ?? 'owner';
  const prefix = options.prefix ?? 'resident';
  const concurrency = options.concurrency ?? 8;
  const throughApi = options.throughApi ?? process.env.BENCH_API_ACCOUNTS === '1';
  const password = `bench-password-${RUN}`;
  const base = `/api/v1/communities/${communityId}/residents`;
  const planned = units.map((unit, i) => ({
    unit,
    name: `Resident ${prefix} ${i}`,
    phone: `139${String(i).padStart(8, '0')}`,
    username: `bench.${prefix}.${i}.${RUN}`,
  }));
  let residents: SeededResident[];
  if (throughApi) {
    residents = await mapLimit(planned, concurrency, async (p): Promise<SeededResident> => {
      const created = await system.admin.post(base, {
        name: p.name,
        phone: p.phone,
        unitId: p.unit.id,
        relation: relation as Relation,
        account: { username: p.username, password },
      });
      return { personId: created.id, name: p.name, unitId: p.unit.id, username: p.username, password };
    });
  } else {
    const rows = planned.map(
      (p, i) =>
        `${p.unit.buildingCode},${p.unit.code},${p.name},${p.phone},${relation},${relation === 'owner' ? `${60 + (i % 80)}.50` : ''}`,
    );
    const csv = ['building,unit,name,phone,relation,area', ...rows].join('\n');
    const retries = { count: 0 };
    const report = await importFile(system.admin, communityId, csv);
    if (report.residentsCreated + report.residentsExisting !== units.length)
      throw new Error(`the import stored ${report.residentsCreated} of ${units.length} residents`);
    const byUnit = new Map<string, string>();
    let cursor: string | undefined;
    do {
      const page = await retrying(
        () => system.admin.get(`${base}?limit=200${cursor ? `&cursor=${cursor}` : ''}`),
        retries,
      );
      // Phones come back masked: match on unit, which is unique among the planned residents.
      for (const r of page.items) byUnit.set(r.unitId, r.id);
      cursor = page.nextCursor;
    } while (cursor);
    residents = planned.map((p) => {
      const personId = byUnit.get(p.unit.id);
      if (!personId) throw new Error(`no resident found in unit ${p.unit.id} after the import`);
      return { personId, name: p.name, unitId: p.unit.id, username: p.username, password };
    });
    const passwordHash = await cheapHash(password);
    const roles = options.roles ?? (relation === 'owner' ? [Role.Resident, Role.Owner] : [Role.Resident]);
    const now = new Date();
    const accounts = residents.map((r) => ({
      _id: new Types.ObjectId(),
      username: r.username,
      passwordHash,
      name: r.name,
      personId: new Types.ObjectId(r.personId),
      roles,
      communityIds: [new Types.ObjectId(communityId)],
      createdAt: now,
      updatedAt: now,
    }));
    for (let i = 0; i < accounts.length; i += 1000) {
      await system
        .database('membership')
        .collection('accounts')
        .insertMany(accounts.slice(i, i + 1000));
    }
  }
  await mapLimit(residents, concurrency, async (r) => {
    r.token = await logIn(system.baseUrl, r.username, r.password);
  });
  return residents;
}

/** The API's encoding `scrypt$N$r$p$salt$key` with N=2^10 instead of 2^15. */
async function cheapHash(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await new Promise<Buffer>((done, fail) =>
    scrypt(password, salt, 32, { N: 1 << 10, r: 8, p: 1 }, (error, derived) =>
      error ? fail(error) : done(derived),
    ),
  );
  return ['scrypt', 1 << 10, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
}
