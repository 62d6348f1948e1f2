import { DomainException, ErrorCode, Principal, Role } from '@cg/contracts';
import jwt from 'jsonwebtoken';

const ISSUER = 'co-governance';
const AUDIENCE = 'co-governance-api';

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
    const claims = {
      personId: principal.personId,
      name: principal.name,
      roles: principal.roles,
      communityIds: principal.communityIds,
    };
    return jwt.sign(claims, this.secret, {
      algorithm: 'HS256',
      subject: principal.sub,
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: ttlSeconds,
    });
  }

  /** A short-lived token a service uses when it acts on its own behalf. */
  issueSystem(service: string): string {
    return this.issue({ sub: `service:${service}`, name: service, roles: [Role.System], communityIds: [] }, 300);
  }

  verify(token: string): Principal {
    try {
      const claims = jwt.verify(token, this.secret, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
      }) as jwt.JwtPayload;
      if (typeof claims.sub !== 'string' || !Array.isArray(claims.roles) || !Array.isArray(claims.communityIds)) {
        throw new DomainException(ErrorCode.UNAUTHENTICATED, 'Token is missing required claims');
      }
      return {
        sub: claims.sub,
        personId: typeof claims.personId === 'string' ? claims.personId : undefined,
        name: String(claims.name ?? ''),
        roles: claims.roles as Role[],
        communityIds: claims.communityIds as string[],
      };
    } catch (error) {
      if (error instanceof DomainException) throw error;
      if (error instanceof jwt.TokenExpiredError) {
        throw new DomainException(ErrorCode.TOKEN_EXPIRED, 'The access token has expired; log in again');
      }
      throw new DomainException(ErrorCode.UNAUTHENTICATED, 'The access token is not valid');
    }
  }

  fromAuthorizationHeader(header: string | undefined): Principal {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) throw new DomainException(ErrorCode.UNAUTHENTICATED, 'A bearer token is required');
    return this.verify(match[1]);
  }
}
