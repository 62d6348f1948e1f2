import { ServiceConfig, loadServiceConfig } from '@cg/observability';
import { randomBytes } from 'node:crypto';

/** A service configuration for one test suite: its own database, a free HTTP port, quiet logs. */
export function testServiceConfig(service: string, runId: string, overrides: Partial<ServiceConfig> = {}): ServiceConfig {
  return {
    ...loadServiceConfig(service, 0, { ...process.env, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    mongoDb: `test_${runId}_${service.replace(/-/g, '_')}`,
    httpPort: 0,
    ...overrides,
  };
}

/** Short unique id for a suite's databases and durable names. */
export function runId(): string {
  return randomBytes(4).toString('hex');
}

// Generous by default: events go through JetStream, and CI machines are shared.
export async function eventually<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
