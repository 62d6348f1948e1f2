import { ErrorCode } from '@cg/contracts';
import { TestSystem, client } from './support/system';

describe('the gateway protects itself and its clients', () => {
  const system = new TestSystem();

  beforeAll(async () => {
    await system.start({ rateLimitPerMinute: 5, bodyLimitBytes: 2048, corsOrigins: ['https://resident.example.org'] });
  });

  afterAll(async () => {
    await system.stop();
  });

  it('limits a caller per minute with 429, RATE_LIMITED and Retry-After', async () => {
    const anonymous = client(system.baseUrl);
    const replies = [];
    for (let i = 0; i < 7; i++) replies.push(await anonymous.post('/api/v1/auth/login', { username: 'nobody', password: 'x' }));
    expect(replies.slice(0, 5).map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    const limited = replies[6];
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe(ErrorCode.RATE_LIMITED);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('gives no fresh bucket to a caller who names another address in X-Forwarded-For', async () => {
    const spoofed = [];
    for (let i = 0; i < 3; i++) {
      spoofed.push(
        await client(system.baseUrl).post('/api/v1/auth/login', { username: `spoof-${i}`, password: 'x' }, { 'x-forwarded-for': `203.0.113.${i + 1}` }),
      );
    }
    expect(spoofed.map((r) => r.status)).toEqual([429, 429, 429]);
    expect(spoofed.every((r) => r.body.code === ErrorCode.RATE_LIMITED && Number(r.headers.get('retry-after')) > 0)).toBe(true);
  });

  it('refuses a body over the size limit with 413 as problem+json', async () => {
    const res = await client(system.baseUrl).post('/api/v1/auth/login', { username: 'x'.repeat(4096), password: 'y' });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.code).toBe(ErrorCode.PAYLOAD_TOO_LARGE);
  });

  it('sends security headers and a request id, and allows only the configured origins', async () => {
    const allowed = await client(system.baseUrl).get('/health/live', { origin: 'https://resident.example.org', 'x-request-id': 'trace-0001-abcd' });
    expect(allowed.headers.get('x-content-type-options')).toBe('nosniff');
    expect(allowed.headers.get('strict-transport-security')).toBeTruthy();
    expect(allowed.headers.get('x-request-id')).toBe('trace-0001-abcd');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://resident.example.org');
    const foreign = await client(system.baseUrl).get('/health/live', { origin: 'https://evil.example.com' });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers an unknown route with 404 as problem+json', async () => {
    const res = await client(system.baseUrl).get('/api/v1/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe(ErrorCode.NOT_FOUND);
  });
});
