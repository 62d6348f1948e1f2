import { ErrorCode, Role } from '@cg/contracts';
import { TokenService } from '@cg/auth';
import { ADMIN, TestSystem, client } from './support/system';

describe('the gateway at capacity', () => {
  const system = new TestSystem();

  beforeAll(async () => {
    await system.start({ rpcMaxInFlight: 2 });
  });

  afterAll(async () => {
    await system.stop();
  });

  it('answers requests beyond its bound at once with 503 and Retry-After, and never refuses health', async () => {
    const login = await client(system.baseUrl).post('/api/v1/auth/login', ADMIN);
    const communityId = '65f0000000000000000000c1';
    const token = new TokenService(system.jwtSecret, 3600).issue({
      sub: 'acct-staff',
      name: 'Chen',
      roles: [Role.CommunityStaff],
      communityIds: [communityId],
    });
    const staff = client(system.baseUrl, token);
    const replies = await Promise.all(
      Array.from({ length: 30 }, () => staff.get(`/api/v1/communities/${communityId}/dashboard`)),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    const refused = replies.filter((r) => r.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    for (const reply of refused) {
      expect(reply.headers.get('retry-after')).toBe('1');
      expect(reply.body.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    }
    const health = await Promise.all(Array.from({ length: 10 }, () => client(system.baseUrl).get('/health/live')));
    expect(health.map((h) => h.status)).toEqual(Array(10).fill(200));
    expect(login.status).toBe(200);
    const metrics = await client(system.baseUrl).get('/metrics');
    expect(String(metrics.body)).toMatch(/rpc_refused_total\{[^}]*subject="http"[^}]*reason="overloaded"[^}]*\} [1-9]/);
  });
});
