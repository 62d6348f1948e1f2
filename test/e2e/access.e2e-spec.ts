import { ErrorCode, Role } from '@cg/contracts';
import jwt from 'jsonwebtoken';
import { Types } from 'mongoose';
import { ADMIN, TestSystem, client } from './support/system';

interface Route {
  method: string;
  path: string;
  secured: boolean;
}

/** Routes that need no token, and routes that only ever show the caller their own data. */
const SELF_ROUTES = new Set([
  'GET /api/v1/me',
  'GET /api/v1/me/notifications',
  'GET /api/v1/me/notifications/unread-count',
  'GET /api/v1/me/notifications/preferences',
  'PUT /api/v1/me/notifications/preferences',
  'GET /api/v1/me/notifications/stream',
  'POST /api/v1/me/notifications/read-all',
  'POST /api/v1/me/notifications/{id}/read',
]);
/** Reference data every community's staff work to, not any community's own: the working calendars. */
const REFERENCE_ROUTES = new Set(['GET /api/v1/calendars/{scope}']);

const COMMUNITY_ROLES = Object.values(Role).filter((r) => r !== Role.DistrictAdmin && r !== Role.System);

function fill(path: string, communityId: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'communityId' ? communityId : new Types.ObjectId().toHexString()));
}

describe('access control holds on every route of the OpenAPI document', () => {
  const system = new TestSystem();
  let routes: Route[];
  let communityA: string;
  let communityB: string;
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    await system.start();
    const anonymous = client(system.baseUrl);
    const doc = (await anonymous.get('/docs-json')).body;
    routes = Object.entries(doc.paths as Record<string, Record<string, { security?: unknown[] }>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, secured: Boolean(op.security?.length) })),
    );
    const login = await anonymous.post('/api/v1/auth/login', ADMIN);
    const admin = client(system.baseUrl, login.body.accessToken);
    const make = async (code: string) =>
      (await admin.post('/api/v1/communities', { code: `${code}${system.id}`, name: code, district: 'D', street: 'S' })).body.id as string;
    communityA = await make('A');
    communityB = await make('B');
    for (const role of COMMUNITY_ROLES) {
      const username = `${role.replace(/_/g, '-')}.${system.id}`;
      const created = await admin.post('/api/v1/accounts', { username, password: 'role-password-123', name: role, roles: [role], communityIds: [communityA] });
      expect(created.status).toBe(201);
      const session = await anonymous.post('/api/v1/auth/login', { username, password: 'role-password-123' });
      tokens.set(role, session.body.accessToken);
    }
  });

  afterAll(async () => {
    await system.stop();
  });

  it('documents a bearer requirement on every route except sign-in and the public GeoReport v2 routes', () => {
    const open = routes.filter((r) => !r.secured).map((r) => `${r.method} ${r.path}`);
    expect(open.sort()).toEqual([
      'GET /open311/v2/discovery.{format}',
      'GET /open311/v2/requests.{format}',
      'GET /open311/v2/requests/{service_request_id}.{format}',
      'GET /open311/v2/services.{format}',
      'GET /open311/v2/services/{service_code}.{format}',
      'GET /open311/v2/tokens/{token}.{format}',
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/logout',
      'POST /api/v1/auth/refresh',
      'POST /open311/v2/requests.{format}',
    ]);
    expect(routes.length).toBeGreaterThan(10);
  });

  it("refuses every role of community A on community B's routes with 403", async () => {
    const leaks: string[] = [];
    for (const route of routes.filter((r) => r.secured && r.path.includes('{communityId}'))) {
      for (const [role, token] of tokens) {
        const res = await send(route, fill(route.path, communityB), token);
        if (res.status !== 403) leaks.push(`${role} ${route.method} ${route.path} -> ${res.status}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('refuses routes outside a community to every community role unless they only show the caller', async () => {
    const leaks: string[] = [];
    for (const route of routes.filter((r) => r.secured && !r.path.includes('{communityId}'))) {
      if (SELF_ROUTES.has(`${route.method} ${route.path}`)) continue;
      const reference = REFERENCE_ROUTES.has(`${route.method} ${route.path}`);
      for (const [role, token] of tokens) {
        const res = await send(route, fill(route.path, communityA), token);
        if (reference && res.status < 300) continue;
        if (res.status !== 403) leaks.push(`${role} ${route.method} ${route.path} -> ${res.status}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('refuses every secured route without a token, with an expired token and with a tampered token', async () => {
    const resident = tokens.get(Role.Resident)!;
    const claims = jwt.decode(resident) as Record<string, unknown>;
    // Past the 30 s the gateway allows for clock skew between hosts.
    const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 120 }, system.jwtSecret);
    const [header, , signature] = resident.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, roles: [Role.DistrictAdmin] })).toString('base64url');
    const tampered = `${header}.${forged}.${signature}`;
    const otherKey = jwt.sign(claims, 'a-different-secret-entirely');
    const leaks: string[] = [];
    for (const route of routes.filter((r) => r.secured)) {
      const path = fill(route.path, communityA);
      for (const [label, token, code] of [
        ['none', undefined, ErrorCode.UNAUTHENTICATED],
        ['expired', expired, ErrorCode.TOKEN_EXPIRED],
        ['tampered', tampered, ErrorCode.UNAUTHENTICATED],
        ['other-key', otherKey, ErrorCode.UNAUTHENTICATED],
      ] as const) {
        const res = await send(route, path, token);
        if (res.status !== 401 || res.body?.code !== code) leaks.push(`${label} ${route.method} ${route.path} -> ${res.status} ${res.body?.code}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  function send(route: Route, path: string, token?: string) {
    const http = client(system.baseUrl, token);
    return route.method === 'GET' ? http.get(path) : http.call(route.method, path, {});
  }
});
