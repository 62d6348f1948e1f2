import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface TestServers {
  natsUrl: string;
  mongoUrl: string;
  /** How they were found, for the test log. */
  source: 'environment' | 'testcontainers' | 'local';
  stop(): Promise<void>;
}

const ROOT = resolve(__dirname, '../../..');

function dockerAnswers(): boolean {
  const probe = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 5000, stdio: 'ignore' });
  return probe.status === 0;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
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

/**
 * A NATS server of this test run alone: queue groups and durable consumers of concurrent runs on one machine
 * never meet. Databases are per suite, so the MongoDB-compatible server can be shared.
 */
async function privateNats(): Promise<{ url: string; stop(): Promise<void> }> {
  const bin = ['/usr/sbin/nats-server', '/usr/bin/nats-server'].find((p) => spawnSync('test', ['-x', p]).status === 0);
  if (!bin) throw new Error('nats-server is not installed; run scripts/servers.sh up');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cg-nats-'));
  const child: ChildProcess = spawn(bin, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: 'ignore' });
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

/** The launcher's class path, built by scripts/servers.sh into the state directory. */
export function mongoLocalClassPath(): string {
  execFileSync('bash', [resolve(ROOT, 'scripts/servers.sh'), 'install'], { stdio: 'inherit' });
  const dir = resolve(process.env.LOCAL_STATE_DIR ?? resolve(ROOT, '.local'), 'mongo-local');
  return `${dir}/mongo-local.jar:${dir}/lib/*`;
}

/**
 * A mongo-java-server of this test run alone, on a free port: the memory backend unless TEST_MONGO_BACKEND=h2
 * (then on a file of its own, removed afterwards), so runs never share data or grow one file.
 */
export async function privateMongo(backend = process.env.TEST_MONGO_BACKEND ?? 'memory'): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cg-mongo-'));
  const child: ChildProcess = spawn(
    'java',
    ['-Xmx768m', '-XX:+UseSerialGC', '-cp', mongoLocalClassPath(), 'local.mongo.MongoLocal', '--port', String(port),
      '--backend', backend, '--file', join(dir, 'data.mv')],
    { stdio: 'ignore' },
  );
  await waitForPort(port, 30_000);
  return {
    url: `mongodb://127.0.0.1:${port}`,
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

/**
 * Servers for integration and end-to-end tests: the ones named by NATS_URL and MONGO_URL when both are set,
 * else containers of the real images when a Docker engine answers, else a private nats-server and a private
 * mongo-java-server (see privateMongo).
 */
export async function resolveServers(): Promise<TestServers> {
  const { NATS_URL, MONGO_URL } = process.env;
  if (NATS_URL && MONGO_URL) {
    return { natsUrl: NATS_URL, mongoUrl: MONGO_URL, source: 'environment', stop: async () => undefined };
  }
  if (process.env.TEST_USE_DOCKER !== '0' && dockerAnswers()) {
    const { GenericContainer, Wait } = await import('testcontainers');
    const mongo = await new GenericContainer('mongo:7').withExposedPorts(27017).start();
    const nats = await new GenericContainer('nats:2.10')
      .withCommand(['-js'])
      .withExposedPorts(4222)
      .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
      .start();
    return {
      natsUrl: `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`,
      mongoUrl: `mongodb://${mongo.getHost()}:${mongo.getMappedPort(27017)}`,
      source: 'testcontainers',
      stop: async () => {
        await Promise.all([mongo.stop(), nats.stop()]);
      },
    };
  }
  const [nats, mongo] = await Promise.all([privateNats(), privateMongo()]);
  return {
    natsUrl: nats.url,
    mongoUrl: mongo.url,
    source: 'local',
    stop: async () => {
      await Promise.all([nats.stop(), mongo.stop()]);
    },
  };
}
