import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

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

/**
 * Servers for integration and end-to-end tests: the ones named by NATS_URL and MONGO_URL when both are set,
 * else containers of the real images when a Docker engine answers, else the local NATS and FerretDB that
 * scripts/servers.sh installs and starts.
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
  execFileSync('bash', [resolve(ROOT, 'scripts/servers.sh'), 'up'], { stdio: 'inherit' });
  return {
    natsUrl: `nats://127.0.0.1:${process.env.NATS_PORT ?? 4222}`,
    mongoUrl: `mongodb://127.0.0.1:${process.env.MONGO_PORT ?? 27017}`,
    source: 'local',
    stop: async () => undefined,
  };
}
