import { HealthRegistry, bearerMatches, readinessStatus } from './health';

describe('readiness', () => {
  it('is up when every check passes, degraded when only optional ones fail, down when a required one fails', () => {
    expect(readinessStatus([{ optional: false, up: true }, { optional: true, up: true }])).toBe('up');
    expect(readinessStatus([{ optional: false, up: true }, { optional: true, up: false }])).toBe('degraded');
    expect(readinessStatus([{ optional: false, up: false }, { optional: true, up: true }])).toBe('down');
  });

  it('names each check with its state and the reason it is down', async () => {
    const health = new HealthRegistry();
    health.register({ name: 'nats', check: async () => undefined });
    health.register({
      name: 'grid',
      optional: true,
      check: async () => {
        throw new Error('The grid service is not running');
      },
    });
    expect(await health.readiness()).toEqual({
      status: 'degraded',
      checks: { nats: 'up', grid: 'down: The grid service is not running' },
    });
  });

  it('reports a check that hangs as down once the time is up', async () => {
    const health = new HealthRegistry();
    health.register({ name: 'database', check: () => new Promise(() => undefined) });
    expect(await health.readiness(50)).toEqual({ status: 'down', checks: { database: 'down: timed out' } });
  });
});

describe('the metrics bearer token', () => {
  const token = 'metrics-token-0123456789';

  it('accepts exactly the bearer token', () => {
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
  });

  it('refuses a missing, different or differently framed token', () => {
    expect(bearerMatches(undefined, token)).toBe(false);
    expect(bearerMatches('Bearer wrong', token)).toBe(false);
    expect(bearerMatches(token, token)).toBe(false);
    expect(bearerMatches(`Bearer ${token}x`, token)).toBe(false);
  });
});
