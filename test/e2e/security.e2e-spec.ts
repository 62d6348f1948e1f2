import { TokenService } from '@cg/auth';
import { ErrorCode, Role } from '@cg/contracts';
import jwt from 'jsonwebtoken';
import { Types } from 'mongoose';
import { request as httpRequest } from 'node:http';
import { ADMIN, TestSystem, client } from './support/system';

/** Each test speaks from its own client address, named by the trusted proxy (this process), so their counts never meet. */
let nextAddress = 10;
const fromAddress = () => ({ 'x-forwarded-for': `198.51.100.${nextAddress++}` });

describe('tokens, sessions and abuse limits at the gateway', () => {
  const system = new TestSystem();
  let admin: ReturnType<typeof client>;

  beforeAll(async () => {
    await system.start({
      trustedProxies: ['127.0.0.1', '::1'],
      loginAccountLockout: { threshold: 3, baseDelaySeconds: 30, maxLockoutSeconds: 300 },
      loginAddressLockout: { threshold: 6, baseDelaySeconds: 30, maxLockoutSeconds: 300 },
    });
    const login = await client(system.baseUrl).post('/api/v1/auth/login', ADMIN, fromAddress());
    admin = client(system.baseUrl, login.body.accessToken);
  });

  afterAll(async () => {
    await system.stop();
  });

  const login = (credentials: { username: string; password: string }, headers = fromAddress()) =>
    client(system.baseUrl).post('/api/v1/auth/login', credentials, headers);

  async function createAccount(password = 'a-password-for-tests'): Promise<{ username: string; password: string }> {
    const username = `user.${system.id}.${nextAddress++}`;
    const created = await admin.post('/api/v1/accounts', { username, password, name: 'Wang', roles: [Role.CommunityStaff], communityIds: [] });
    expect(created.status).toBe(201);
    return { username, password };
  }

  describe('access tokens', () => {
    it('are short-lived and carry exp, iat and a token id', async () => {
      const session = await login(ADMIN);
      expect(session.status).toBe(200);
      expect(session.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, refreshExpiresIn: 8 * 3600 });
      const claims = jwt.decode(session.body.accessToken) as jwt.JwtPayload;
      expect(claims.exp! - claims.iat!).toBe(900);
      expect(claims.jti).toEqual(expect.any(String));
      expect((jwt.decode(session.body.refreshToken) as jwt.JwtPayload).jti).toEqual(expect.any(String));
    });

    it('are refused without exp, without iat, expired, forged, too long-lived, or when a refresh token is sent instead', async () => {
      const session = await login(ADMIN);
      const { exp, iat, ...claims } = jwt.decode(session.body.accessToken) as jwt.JwtPayload;
      const now = Math.floor(Date.now() / 1000);
      const cases: Array<[string, string, ErrorCode]> = [
        ['no exp', jwt.sign({ ...claims, iat }, system.jwtSecret), ErrorCode.UNAUTHENTICATED],
        ['no iat', jwt.sign({ ...claims, exp }, system.jwtSecret, { noTimestamp: true }), ErrorCode.UNAUTHENTICATED],
        ['expired', jwt.sign({ ...claims, iat: now - 120, exp: now - 60 }, system.jwtSecret), ErrorCode.TOKEN_EXPIRED],
        ['other key', jwt.sign({ ...claims, iat, exp }, 'x'.repeat(48)), ErrorCode.UNAUTHENTICATED],
        ['a year long', jwt.sign({ ...claims, iat: now, exp: now + 365 * 24 * 3600 }, system.jwtSecret), ErrorCode.UNAUTHENTICATED],
        ['refresh token', session.body.refreshToken, ErrorCode.UNAUTHENTICATED],
      ];
      const answers = await Promise.all(cases.map(([, token]) => client(system.baseUrl, token).get('/api/v1/communities')));
      expect(answers.map((a, i) => `${cases[i][0]}: ${a.status} ${a.body.code}`)).toEqual(
        cases.map(([label, , code]) => `${label}: 401 ${code}`),
      );
      expect((await client(system.baseUrl, session.body.accessToken).get('/api/v1/communities')).status).toBe(200);
    });
  });

  describe('refresh and logout', () => {
    it('exchanges a refresh token once for a new pair; the spent one is refused', async () => {
      const first = await login(ADMIN);
      const refreshed = await client(system.baseUrl).post('/api/v1/auth/refresh', { refreshToken: first.body.refreshToken });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.refreshToken).not.toBe(first.body.refreshToken);
      expect(refreshed.body.principal.sub).toBe(first.body.principal.sub);
      expect((await client(system.baseUrl, refreshed.body.accessToken).get('/api/v1/communities')).status).toBe(200);

      const replayed = await client(system.baseUrl).post('/api/v1/auth/refresh', { refreshToken: first.body.refreshToken });
      expect(replayed.status).toBe(401);
      expect(replayed.body.code).toBe(ErrorCode.UNAUTHENTICATED);
      const next = await client(system.baseUrl).post('/api/v1/auth/refresh', { refreshToken: refreshed.body.refreshToken });
      expect(next.status).toBe(200);
    });

    it('does not take an access token as a refresh token', async () => {
      const session = await login(ADMIN);
      const res = await client(system.baseUrl).post('/api/v1/auth/refresh', { refreshToken: session.body.accessToken });
      expect(res.status).toBe(401);
    });

    it('ends the session at logout: the refresh token and the access token sent along stop working', async () => {
      const session = await login(ADMIN);
      const api = client(system.baseUrl, session.body.accessToken);
      expect((await api.get('/api/v1/communities')).status).toBe(200);
      const out = await api.post('/api/v1/auth/logout', { refreshToken: session.body.refreshToken });
      expect(out.status).toBe(204);
      const after = await api.get('/api/v1/communities');
      expect(after.status).toBe(401);
      expect(after.body.code).toBe(ErrorCode.UNAUTHENTICATED);
      const refresh = await client(system.baseUrl).post('/api/v1/auth/refresh', { refreshToken: session.body.refreshToken });
      expect(refresh.status).toBe(401);
      expect((await client(system.baseUrl, (await login(ADMIN)).body.accessToken).get('/api/v1/communities')).status).toBe(200);
    });
  });

  describe('failed logins', () => {
    it('lock the account after the threshold with 429 and Retry-After, even for the right password and from elsewhere', async () => {
      const account = await createAccount();
      const wrong = { ...account, password: 'not-the-password' };
      const failures = [await login(wrong), await login(wrong), await login(wrong)];
      expect(failures.map((r) => r.status)).toEqual([401, 401, 401]);
      const locked = await login(account);
      expect(locked.status).toBe(429);
      expect(locked.headers.get('content-type')).toContain('application/problem+json');
      expect(locked.body.code).toBe(ErrorCode.RATE_LIMITED);
      const retryAfter = Number(locked.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(25);
      expect(retryAfter).toBeLessThanOrEqual(30);
      expect((await login(ADMIN)).status).toBe(200);
    });

    it('lock a client address that fails across many accounts, while other addresses log in', async () => {
      const address = fromAddress();
      for (let i = 0; i < 6; i++) {
        expect((await login({ username: `guess-${i}.${system.id}`, password: 'guess' }, address)).status).toBe(401);
      }
      const locked = await login(ADMIN, address);
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await login(ADMIN)).status).toBe(200);
    });

    it('are forgotten for the account after a successful login', async () => {
      const account = await createAccount();
      const wrong = { ...account, password: 'not-the-password' };
      expect((await login(wrong)).status).toBe(401);
      expect((await login(wrong)).status).toBe(401);
      expect((await login(account)).status).toBe(200);
      expect((await login(wrong)).status).toBe(401);
      expect((await login(wrong)).status).toBe(401);
      expect((await login(account)).status).toBe(200);
    });
  });

  describe('input limits', () => {
    const staff = () =>
      client(
        system.baseUrl,
        new TokenService(system.jwtSecret, 900).issue({ sub: `staff-${system.id}`, name: 'Li', roles: [Role.CommunityStaff, Role.DistrictAdmin], communityIds: [] }),
      );

    it('refuses JSON nested deeper than 32 levels with 400 before validation', async () => {
      const deep = `{"username":${'['.repeat(5000)}${']'.repeat(5000)},"password":"x"}`;
      const res = await client(system.baseUrl).post('/api/v1/auth/login', deep, fromAddress());
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe(ErrorCode.VALIDATION_FAILED);
      expect(res.body.errors).toEqual([{ field: 'body', reason: 'JSON must not nest deeper than 32 levels' }]);
      const shallow = await client(system.baseUrl).post('/api/v1/auth/login', { username: 'x', password: '[[[[' }, fromAddress());
      expect(shallow.status).toBe(401);
    });

    it('answers a missing or null nested object with 400 and the field, not 500', async () => {
      const communityId = new Types.ObjectId().toHexString();
      const unitId = new Types.ObjectId().toHexString();
      const attempts = [
        ['organiser', await staff().post(`/api/v1/communities/${communityId}/activities`, { title: 'Spring fair' })],
        ['audience', await staff().post(`/api/v1/communities/${communityId}/activities`, { title: 'Spring fair', audience: null })],
        ['source', await staff().post(`/api/v1/communities/${communityId}/volunteer-shifts`, { role: 'Crossing guard' })],
        ['source', await staff().post(`/api/v1/communities/${communityId}/volunteer-shifts`, { source: [] })],
        ['registerArea', await staff().put(`/api/v1/communities/${communityId}/units/${unitId}/ownership`, { ownerPersonIds: [], registerArea: null })],
      ] as const;
      for (const [field, res] of attempts) {
        expect({ field, status: res.status, code: res.body.code }).toEqual({ field, status: 400, code: ErrorCode.VALIDATION_FAILED });
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
    });

    it('answers a known path with the wrong method with 405, Allow and problem+json', async () => {
      const res = await client(system.baseUrl).call('DELETE', '/api/v1/auth/login');
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe(ErrorCode.METHOD_NOT_ALLOWED);
      const unknown = await client(system.baseUrl).call('DELETE', '/api/v1/no-such-thing');
      expect(unknown.status).toBe(404);
    });

    it('answers an over-long URL with 414 and too large headers with 431, both as problem+json', async () => {
      const long = await admin.get(`/api/v1/communities?cursor=${'a'.repeat(9000)}`);
      expect(long.status).toBe(414);
      expect(long.headers.get('content-type')).toContain('application/problem+json');
      expect(long.body.code).toBe(ErrorCode.URI_TOO_LONG);

      const big = await rawGet(system.baseUrl, '/health/live', { 'x-padding': 'p'.repeat(20_000) });
      expect(big.status).toBe(431);
      expect(big.contentType).toContain('application/problem+json');
      expect(JSON.parse(big.body)).toMatchObject({ status: 431, code: ErrorCode.HEADERS_TOO_LARGE });
    });
  });
});

/** fetch refuses to send some oversized requests itself; a plain request reaches the server's parser. */
function rawGet(baseUrl: string, path: string, headers: Record<string, string>): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}${path}`, { headers, maxHeaderSize: 64 * 1024 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}
