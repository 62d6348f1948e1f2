import { ConfigError, ServiceConfig, loadServiceConfig } from '@cg/observability';
import { ServiceName } from '@cg/contracts';

export interface GatewayConfig extends ServiceConfig {
  /** Origins of the client apps allowed by CORS; empty means none. */
  corsOrigins: string[];
  /** Requests per minute per user (or per IP when anonymous). */
  rateLimitPerMinute: number;
  /** Time each section of an aggregate view may take before it is reported missing. */
  sectionTimeoutMs: number;
  bodyLimitBytes: number;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return {
    ...loadServiceConfig(ServiceName.Gateway, 3000, env),
    corsOrigins: (env.CORS_ORIGINS ?? 'http://localhost:5173').split(',').map((o) => o.trim()).filter(Boolean),
    rateLimitPerMinute: positive(env, 'RATE_LIMIT_PER_MINUTE', 600),
    sectionTimeoutMs: positive(env, 'SECTION_TIMEOUT_MS', 1500),
    bodyLimitBytes: positive(env, 'BODY_LIMIT_BYTES', 1024 * 1024),
  };
}
