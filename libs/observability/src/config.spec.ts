import { randomBytes } from 'node:crypto';
import { ConfigError, loadServiceConfig } from './config';

describe('the metrics token in the environment', () => {
  it('leaves metrics open when unset', () => {
    expect(loadServiceConfig('grid', 3102, {}).metricsToken).toBeUndefined();
  });

  it('is taken when long enough', () => {
    expect(loadServiceConfig('grid', 3102, { METRICS_TOKEN: 'a-long-metrics-token' }).metricsToken).toBe('a-long-metrics-token');
  });

  it('stops the app naming METRICS_TOKEN when too short to be a secret', () => {
    expect(() => loadServiceConfig('grid', 3102, { METRICS_TOKEN: 'short' })).toThrow(new ConfigError('METRICS_TOKEN must be at least 16 characters when set'));
  });
});

describe('the signing secret in production', () => {
  const production = (env: NodeJS.ProcessEnv) => () => loadServiceConfig('grid', 3102, { NODE_ENV: 'production', ...env });

  it('stops the app when JWT_SECRET is unset, published, short or low in variety', () => {
    expect(production({})).toThrow(/^JWT_SECRET is not set/);
    expect(production({ JWT_SECRET: 'compose-local-jwt-secret-change-me' })).toThrow(/^JWT_SECRET is a published default/);
    expect(production({ JWT_SECRET: 'Zq8#kP2!xW4$' })).toThrow(/^JWT_SECRET is shorter than 32 bytes/);
    expect(production({ JWT_SECRET: 'x'.repeat(40) })).toThrow(/^JWT_SECRET has too little variety/);
  });

  it('starts with a random secret and issues 15-minute access tokens by default', () => {
    const config = production({ JWT_SECRET: randomBytes(48).toString('base64') })();
    expect(config.jwtTtlSeconds).toBe(900);
  });

  it('names the replaced JWT_TTL_SECONDS', () => {
    expect(() => loadServiceConfig('grid', 3102, { JWT_TTL_SECONDS: '28800' })).toThrow(/ACCESS_TOKEN_TTL_SECONDS/);
  });
});
