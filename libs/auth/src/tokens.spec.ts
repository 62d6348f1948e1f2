import { ErrorCode, Role } from '@cg/contracts';
import jwt from 'jsonwebtoken';
import { TokenService } from './tokens';

const SECRET = 'unit-test-signing-key-with-enough-bytes';
const principal = { sub: 'acct-1', name: 'Zhang', roles: [Role.Resident], communityIds: ['c1'] };
const tokens = new TokenService(SECRET, 900);

function codeOf(run: () => unknown): ErrorCode | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { code?: ErrorCode }).code;
  }
}

describe('bearer tokens', () => {
  it('carry exp, iat and a fresh token id, and live the configured time', () => {
    const a = jwt.decode(tokens.issue(principal)) as jwt.JwtPayload;
    const b = jwt.decode(tokens.issue(principal)) as jwt.JwtPayload;
    expect(a.exp! - a.iat!).toBe(900);
    expect(a.jti).not.toEqual(b.jti);
    expect(tokens.inspect(tokens.issue(principal))).toMatchObject({ principal, jti: expect.any(String) });
  });

  it('give services five-minute tokens of their own', () => {
    const claims = jwt.decode(tokens.issueSystem('grid')) as jwt.JwtPayload;
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(tokens.verify(tokens.issueSystem('grid')).roles).toEqual([Role.System]);
  });

  it('refuse a token without exp or without iat', () => {
    const { exp, iat, ...claims } = jwt.decode(tokens.issue(principal)) as jwt.JwtPayload;
    expect(codeOf(() => tokens.verify(jwt.sign({ ...claims, iat }, SECRET)))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(codeOf(() => tokens.verify(jwt.sign({ ...claims, exp }, SECRET, { noTimestamp: true })))).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it('refuse an expired token as TOKEN_EXPIRED and one longer than a day as not valid', () => {
    const claims = jwt.decode(tokens.issue(principal)) as jwt.JwtPayload;
    const now = Math.floor(Date.now() / 1000);
    expect(codeOf(() => tokens.verify(jwt.sign({ ...claims, iat: now - 200, exp: now - 100 }, SECRET)))).toBe(ErrorCode.TOKEN_EXPIRED);
    expect(codeOf(() => tokens.verify(jwt.sign({ ...claims, iat: now, exp: now + 2 * 86400 }, SECRET)))).toBe(ErrorCode.UNAUTHENTICATED);
  });

  it('keep refresh tokens and access tokens apart', () => {
    const refresh = tokens.issueRefresh(principal, 3600);
    expect(codeOf(() => tokens.verify(refresh.token))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(codeOf(() => tokens.inspectRefresh(tokens.issue(principal)))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(tokens.inspectRefresh(refresh.token)).toMatchObject({ principal, jti: refresh.jti, expiresAt: refresh.expiresAt });
  });

  it('refuse a token signed with another secret', () => {
    expect(codeOf(() => new TokenService('another-unit-test-signing-key-xyz', 900).verify(tokens.issue(principal)))).toBe(
      ErrorCode.UNAUTHENTICATED,
    );
  });
});
