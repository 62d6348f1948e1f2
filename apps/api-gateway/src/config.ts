import { ConfigError, ServiceConfig, loadServiceConfig } from '@cg/observability';
import { ServiceName } from '@cg/contracts';
import { MAX_REFRESH_TTL_SECONDS } from '@cg/auth';
import { isIP } from 'node:net';
import { LockoutPolicy } from './auth/lockout-rules';
import { PhotoLimits, loadPhotoLimits } from './attachments/photo-limits';

export interface GatewayConfig extends ServiceConfig {
  /** Origins of the client apps allowed by CORS; empty means none. */
  corsOrigins: string[];
  /** Requests per minute per user (or per IP when anonymous). */
  rateLimitPerMinute: number;
  /** Time each section of an aggregate view may take before it is reported missing. */
  sectionTimeoutMs: number;
  bodyLimitBytes: number;
  /** Lifetime of a refresh token; a session lasts this long without a new login. */
  refreshTokenTtlSeconds: number;
  /** Addresses or CIDRs of the proxies whose X-Forwarded-For is believed; empty means the socket address counts. */
  trustedProxies: string[];
  /** Failed logins per account before it is locked for a while. */
  loginAccountLockout: LockoutPolicy;
  /** Failed logins per client address before it is locked for a while; higher, as offices share addresses. */
  loginAddressLockout: LockoutPolicy;
  /** Size and count limits of photo uploads (PHOTO_MAX_BYTES, PHOTOS_PER_OBJECT). */
  photos: PhotoLimits;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function trustedProxies(env: NodeJS.ProcessEnv): string[] {
  const entries = (env.TRUSTED_PROXIES ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (!family || !prefixOk || rest.length > 0) {
      throw new ConfigError(`TRUSTED_PROXIES must list IP addresses or CIDRs separated by commas, got "${entry}"`);
    }
  }
  return entries;
}

function lockout(env: NodeJS.ProcessEnv, thresholdName: string, threshold: number): LockoutPolicy {
  const policy = {
    threshold: positive(env, thresholdName, threshold),
    baseDelaySeconds: positive(env, 'LOGIN_LOCKOUT_BASE_SECONDS', 2),
    maxLockoutSeconds: positive(env, 'LOGIN_LOCKOUT_MAX_SECONDS', 15 * 60),
  };
  if (policy.maxLockoutSeconds < policy.baseDelaySeconds) {
    throw new ConfigError('LOGIN_LOCKOUT_MAX_SECONDS must not be below LOGIN_LOCKOUT_BASE_SECONDS');
  }
  return policy;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const service = loadServiceConfig(ServiceName.Gateway, 3000, env);
  const refreshTokenTtlSeconds = positive(env, 'REFRESH_TOKEN_TTL_SECONDS', 8 * 3600);
  if (refreshTokenTtlSeconds < service.jwtTtlSeconds || refreshTokenTtlSeconds > MAX_REFRESH_TTL_SECONDS) {
    throw new ConfigError(
      `REFRESH_TOKEN_TTL_SECONDS must be between ACCESS_TOKEN_TTL_SECONDS (${service.jwtTtlSeconds}) and ${MAX_REFRESH_TTL_SECONDS}`,
    );
  }
  return {
    ...service,
    corsOrigins: (env.CORS_ORIGINS ?? 'http://localhost:5173').split(',').map((o) => o.trim()).filter(Boolean),
    rateLimitPerMinute: positive(env, 'RATE_LIMIT_PER_MINUTE', 600),
    sectionTimeoutMs: positive(env, 'SECTION_TIMEOUT_MS', 1500),
    bodyLimitBytes: positive(env, 'BODY_LIMIT_BYTES', 1024 * 1024),
    refreshTokenTtlSeconds,
    trustedProxies: trustedProxies(env),
    loginAccountLockout: lockout(env, 'LOGIN_MAX_FAILURES', 5),
    loginAddressLockout: lockout(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', 30),
    photos: loadPhotoLimits(env),
  };
}
