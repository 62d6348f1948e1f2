/**
 * The whole system as separate processes, the way it runs in production: a NATS server with JetStream, a
 * mongo-java-server on an H2 file, each service and the gateway as its own `node dist/apps/<app>/src/main.js`. Every
 * piece can be killed with SIGKILL and started again on the same port and the same data. Every child is killed when
 * this process exits, also on failure.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN, ROOT, RUN, sleep } from '../bench/support';

export type AppName = 'membership' | 'grid' | 'activities' | 'property' | 'gateway';
export const SERVICES: AppName[] = ['membership', 'grid', 'activities', 'property'];
type Piece = AppName | 'nats' | 'mongo';

const ENTRY: Record<AppName, string> = {
  membership: 'dist/apps/membership/src/main.js',
  grid: 'dist/apps/grid/src/main.js',
  activities: 'dist/apps/activities/src/main.js',
  property: 'dist/apps/property/src/main.js',
  gateway: 'dist/apps/api-gateway/src/main.js',
};
const JWT_SECRET = `chaos-secret-${RUN}-0123456789`;

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

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1', () => (socket.end(), done(true)));
    socket.once('error', () => done(false));
  });
}

async function until(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await sleep(100);
  }
}

const live = new Set<ChildProcess>();
let handlersInstalled = false;

/** Kills every child still running: on exit (synchronous), and on SIGINT/SIGTERM before exiting. */
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const killAll = () => {
    for (const child of live) child.kill('SIGKILL');
    live.clear();
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

export class ProcessSystem {
  readonly dir = mkdtempSync(join(tmpdir(), 'cg-chaos-'));
  readonly natsDir = join(this.dir, 'nats');
  readonly mongoFile = join(this.dir, 'mongo', 'data.mv');
  readonly logDir = join(this.dir, 'logs');
  readonly ports = new Map<Piece, number>();
  private readonly children = new Map<Piece, ChildProcess>();
  private classPath = '';

  constructor(private readonly extraEnv: Record<AppName, NodeJS.ProcessEnv> = {} as never) {
    mkdirSync(this.natsDir, { recursive: true });
    mkdirSync(join(this.dir, 'mongo'), { recursive: true });
    mkdirSync(this.logDir, { recursive: true });
    installExitHandlers();
  }

  get natsUrl(): string {
    return `nats://127.0.0.1:${this.ports.get('nats')}`;
  }

  get mongoUrl(): string {
    return `mongodb://127.0.0.1:${this.ports.get('mongo')}`;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.ports.get('gateway')}`;
  }

  database(service: AppName): string {
    return `chaos_${RUN}_${service}`;
  }

  async start(): Promise<void> {
    // Installs nats-server and builds the database launcher when missing; starts nothing.
    execFileSync('bash', [join(ROOT, 'scripts/servers.sh'), 'install'], { stdio: 'inherit' });
    const state = process.env.LOCAL_STATE_DIR ?? join(ROOT, '.local');
    this.classPath = `${state}/mongo-local/mongo-local.jar:${state}/mongo-local/lib/*`;
    for (const piece of ['nats', 'mongo', ...SERVICES, 'gateway'] as Piece[])
      this.ports.set(piece, await freePort());
    await this.startNats();
    await this.startMongo();
    for (const app of SERVICES) await this.startApp(app);
    await this.startApp('gateway');
  }

  async startNats(): Promise<void> {
    const bin = ['/usr/sbin/nats-server', '/usr/bin/nats-server'].find((p) => existsSync(p)) ?? 'nats-server';
    const port = this.ports.get('nats')!;
    this.launch('nats', bin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', this.natsDir]);
    await until('NATS listening', 15_000, () => portOpen(port));
  }

  async startMongo(): Promise<void> {
    const port = this.ports.get('mongo')!;
    this.launch('mongo', 'java', [
      '-Xmx512m',
      '-XX:+UseSerialGC',
      '-cp',
      this.classPath,
      'local.mongo.MongoLocal',
      '--port',
      String(port),
      '--backend',
      'h2',
      '--file',
      this.mongoFile,
    ]);
    await until('the database listening', 60_000, () => portOpen(port));
  }

  async startApp(app: AppName): Promise<void> {
    const port = this.ports.get(app)!;
    this.launch(app, process.execPath, [join(ROOT, ENTRY[app])], {
      ...process.env,
      NODE_ENV: 'development',
      NATS_URL: this.natsUrl,
      MONGO_URL: this.mongoUrl,
      MONGO_DB: this.database(app),
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      JWT_SECRET,
      LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'warn',
      RPC_TIMEOUT_MS: process.env.RPC_TIMEOUT_MS ?? '3000',
      ...(app === 'membership' && {
        BOOTSTRAP_ADMIN_USERNAME: ADMIN.username,
        BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      }),
      ...(app === 'gateway' && { RATE_LIMIT_PER_MINUTE: '1000000000' }),
      ...this.extraEnv[app],
    });
    await this.ready(app);
  }

  /** Until the app's `/health/ready` answers 200 (NATS and, for a service, its database usable). */
  async ready(app: AppName, timeoutMs = 60_000): Promise<void> {
    const url = `http://127.0.0.1:${this.ports.get(app)}/health/ready`;
    await until(`${app} ready`, timeoutMs, async () => {
      const child = this.children.get(app);
      if (!child || child.exitCode !== null || child.signalCode !== null)
        throw new Error(`${app} exited; see ${join(this.logDir, `${app}.log`)}`);
      return (await fetch(url, { signal: AbortSignal.timeout(2000) })).status === 200;
    }).catch((error) => {
      if (String(error).includes('exited')) throw error;
      throw new Error(`${String(error)}; see ${join(this.logDir, `${app}.log`)}`);
    });
  }

  async allReady(timeoutMs = 60_000): Promise<void> {
    for (const app of [...SERVICES, 'gateway'] as AppName[]) await this.ready(app, timeoutMs);
  }

  /** SIGKILL, and waits until the process is gone. */
  async kill(piece: Piece): Promise<void> {
    const child = this.children.get(piece);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async restart(piece: Piece): Promise<void> {
    if (piece === 'nats') return this.startNats();
    if (piece === 'mongo') return this.startMongo();
    return this.startApp(piece);
  }

  /** Stops the gateway, the services, then the servers (SIGTERM, SIGKILL after 10 s); removes the state unless kept. */
  async stop(keepState: boolean): Promise<void> {
    for (const piece of ['gateway', ...SERVICES, 'nats', 'mongo'] as Piece[]) {
      const child = this.children.get(piece);
      if (!child || child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (!keepState) rmSync(this.dir, { recursive: true, force: true });
  }

  private launch(piece: Piece, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
    const log = openSync(join(this.logDir, `${piece}.log`), 'a');
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', log, log] });
    closeSync(log);
    live.add(child);
    child.once('exit', () => live.delete(child));
    this.children.set(piece, child);
  }
}
