import { MAX_ACCESS_TTL_SECONDS, secretWeakness } from '@cg/auth';

/** Environment read once at boot; a missing or bad variable stops the process with its name. */
export interface ServiceConfig {
  service: string;
  natsUrl: string;
  mongoUrl: string;
  mongoDb: string;
  httpHost: string;
  httpPort: number;
  jwtSecret: string;
  /** Lifetime of an access token (ACCESS_TOKEN_TTL_SECONDS). */
  jwtTtlSeconds: number;
  rpcTimeoutMs: number;
  /** Requests one instance works on at once; beyond it, it refuses at once (the gateway answers 503). */
  rpcMaxInFlight: number;
  /** On SIGTERM, how long readiness answers 503 before the instance stops taking requests (load balancers notice). */
  drainDelayMs: number;
  logLevel: string;
  /** Copies JetStream keeps of each stream: 1 on one machine, 3 on a NATS cluster. */
  streamReplicas: number;
  /** When set, `GET /metrics` answers only to `Authorization: Bearer <token>`. */
  metricsToken?: string;
}

/** The injection token of the app's `ServiceConfig`. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');

export class ConfigError extends Error {}

const DEV_JWT_SECRET = 'local-development-secret-change-me';
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function url(env: NodeJS.ProcessEnv, name: string, fallback: string, schemes: string[]): string {
  const value = env[name] || fallback;
  if (!schemes.some((scheme) => value.startsWith(`${scheme}://`))) {
    throw new ConfigError(`${name} must start with ${schemes.map((s) => `${s}://`).join(' or ')}, got "${value}"`);
  }
  return value;
}

export function loadServiceConfig(
  service: string,
  defaultPort: number,
  env: NodeJS.ProcessEnv = process.env,
): ServiceConfig {
  const production = env.NODE_ENV === 'production';
  const jwtSecret = env.JWT_SECRET || (production ? '' : DEV_JWT_SECRET);
  if (production) {
    const weakness = jwtSecret ? secretWeakness(jwtSecret) : 'is not set';
    if (weakness) {
      throw new ConfigError(`JWT_SECRET ${weakness}; in production set a random one, e.g. openssl rand -base64 48`);
    }
  } else if (jwtSecret.length < 16) {
    throw new ConfigError('JWT_SECRET must be at least 16 characters');
  }
  if (env.JWT_TTL_SECONDS) {
    throw new ConfigError('JWT_TTL_SECONDS is replaced by ACCESS_TOKEN_TTL_SECONDS (default 900); long sessions use refresh tokens');
  }
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LEVELS.join(', ')}`);
  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && metricsToken.length < 16) {
    throw new ConfigError('METRICS_TOKEN must be at least 16 characters when set');
  }
  return {
    service,
    natsUrl: url(env, 'NATS_URL', 'nats://127.0.0.1:4222', ['nats', 'tls']),
    mongoUrl: url(env, 'MONGO_URL', 'mongodb://127.0.0.1:27017', ['mongodb', 'mongodb+srv']),
    mongoDb: env.MONGO_DB || `cg_${service.replace(/-/g, '_')}`,
    httpHost: env.HTTP_HOST || '127.0.0.1',
    httpPort: int(env, 'HTTP_PORT', defaultPort, 0, 65535),
    jwtSecret,
    jwtTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 15 * 60, 60, MAX_ACCESS_TTL_SECONDS),
    rpcTimeoutMs: int(env, 'RPC_TIMEOUT_MS', 3000, 50, 60000),
    rpcMaxInFlight: int(env, 'RPC_MAX_IN_FLIGHT', 256, 1, 100000),
    drainDelayMs: int(env, 'DRAIN_DELAY_MS', 0, 0, 60000),
    logLevel,
    streamReplicas: int(env, 'STREAM_REPLICAS', 1, 1, 5),
    metricsToken,
  };
}

/** Boots a process or prints the configuration error alone, without a stack trace. */
export function configOrExit<C>(load: () => C): C {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`configuration error: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}
