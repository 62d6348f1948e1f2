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
