import { DomainException, ErrorCode, Principal, Role } from '@cg/contracts';
import jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';

const ISSUER = 'co-governance';
const AUDIENCE = 'co-governance-api';
/** A refresh token is never accepted where an access token is expected, nor the other way round. */
const REFRESH_AUDIENCE = 'co-governance-refresh';
const SYSTEM_TTL_SECONDS = 300;
/** The longest access token any configuration may issue; a longer one is refused even when signed by us. */
export const MAX_ACCESS_TTL_SECONDS = 24 * 3600;
export const MAX_REFRESH_TTL_SECONDS = 30 * 24 * 3600;
/** Allowed drift between the clocks of the issuer and the verifier. */
const CLOCK_TOLERANCE_SECONDS = 30;

/** A token that verified, with the claims revocation needs. */
export interface VerifiedToken {
  principal: Principal;
  /** Token id, the key of the revocation list. */
  jti: string;
  /** Seconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
}

export interface IssuedToken {
  token: string;
  jti: string;
  expiresAt: number;
}

/** HS256 bearer tokens carrying the principal. Every service holds the secret and verifies on its own. */
export class TokenService {
  constructor(
    private readonly secret: string,
    private readonly ttlSeconds: number,
  ) {}

  get lifetimeSeconds(): number {
    return this.ttlSeconds;
  }

  issue(principal: Principal, ttlSeconds = this.ttlSeconds): string {
    return this.sign(principal, AUDIENCE, Math.min(ttlSeconds, MAX_ACCESS_TTL_SECONDS)).token;
  }

  issueAccess(principal: Principal): IssuedToken {
    return this.sign(principal, AUDIENCE, this.ttlSeconds);
  }

  issueRefresh(principal: Principal, ttlSeconds: number): IssuedToken {
    return this.sign(principal, REFRESH_AUDIENCE, Math.min(ttlSeconds, MAX_REFRESH_TTL_SECONDS));
  }

  /** A short-lived token a service uses when it acts on its own behalf. */
  issueSystem(service: string): string {
    return this.issue({ sub: `service:${service}`, name: service, roles: [Role.System], communityIds: [] }, SYSTEM_TTL_SECONDS);
  }

  verify(token: string): Principal {
    return this.inspect(token).principal;
  }

  /** Verifies an access token and returns it with its id and times. */
  inspect(token: string): VerifiedToken {
    return this.check(token, AUDIENCE, MAX_ACCESS_TTL_SECONDS, 'access token');
  }

  inspectRefresh(token: string): VerifiedToken {
    return this.check(token, REFRESH_AUDIENCE, MAX_REFRESH_TTL_SECONDS, 'refresh token');
  }

  fromAuthorizationHeader(header: string | undefined): Principal {
    return this.inspect(bearerOf(header)).principal;
  }

  private sign(principal: Principal, audience: string, ttlSeconds: number): IssuedToken {
    const jti = randomUUID();
    const issuedAt = Math.floor(Date.now() / 1000);
    const claims = {
      personId: principal.personId,
      name: principal.name,
      roles: principal.roles,
      communityIds: principal.communityIds,
      iat: issuedAt,
    };
    const token = jwt.sign(claims, this.secret, {
      algorithm: 'HS256',
      subject: principal.sub,
      issuer: ISSUER,
      audience,
      expiresIn: ttlSeconds,
      jwtid: jti,
    });
    return { token, jti, expiresAt: issuedAt + ttlSeconds };
  }

  private check(token: string, audience: string, maxLifetime: number, label: string): VerifiedToken {
    let claims: jwt.JwtPayload;
    try {
      claims = jwt.verify(token, this.secret, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }) as jwt.JwtPayload;
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) {
        throw new DomainException(ErrorCode.TOKEN_EXPIRED, `The ${label} has expired; log in again`);
      }
      throw new DomainException(ErrorCode.UNAUTHENTICATED, `The ${label} is not valid`);
    }
    const { exp, iat, jti, sub } = claims;
    // jsonwebtoken accepts a token without `exp`: such a token would never expire.
    if (typeof exp !== 'number' || typeof iat !== 'number') {
      throw new DomainException(ErrorCode.UNAUTHENTICATED, `The ${label} must carry exp and iat`);
    }
    if (exp - iat > maxLifetime || iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) {
      throw new DomainException(ErrorCode.UNAUTHENTICATED, `The ${label} has an impossible lifetime`);
    }
    if (typeof sub !== 'string' || typeof jti !== 'string' || !Array.isArray(claims.roles) || !Array.isArray(claims.communityIds)) {
      throw new DomainException(ErrorCode.UNAUTHENTICATED, `The ${label} is missing required claims`);
    }
    return {
      principal: {
        sub,
        personId: typeof claims.personId === 'string' ? claims.personId : undefined,
        name: String(claims.name ?? ''),
        roles: claims.roles as Role[],
        communityIds: claims.communityIds as string[],
      },
      jti,
      issuedAt: iat,
      expiresAt: exp,
    };
  }
}

/** The token of an `Authorization: Bearer …` header. */
export function bearerOf(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) throw new DomainException(ErrorCode.UNAUTHENTICATED, 'A bearer token is required');
  return match[1];
}
