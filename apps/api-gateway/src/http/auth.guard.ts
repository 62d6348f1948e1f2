import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role, hasAnyRole } from '@cg/contracts';
import { TokenService, assertCommunityAccess, bearerOf } from '@cg/auth';
import { DomainException, ErrorCode } from '@cg/contracts';
import { RevocationList } from '../auth/revocation-list';
import { AuthenticatedRequest, PUBLIC_ROUTE, ROUTE_ROLES } from './access';

/**
 * Every route needs a valid bearer token unless marked public; roles come from the route, and a
 * `:communityId` in the path must be one the caller may act in. Services check the same again. A token revoked at
 * logout is refused here, from a list held in memory.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly revocations: RevocationList,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerOf(request.headers.authorization);
    const { principal, jti } = this.tokens.inspect(token);
    if (this.revocations.isAccessRevoked(jti)) {
      throw new DomainException(ErrorCode.UNAUTHENTICATED, 'The access token was revoked at logout; log in again');
    }
    request.principal = principal;
    request.token = token;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROUTE_ROLES, targets);
    if (roles && !hasAnyRole(principal, roles)) {
      throw new DomainException(ErrorCode.FORBIDDEN, `This needs one of the roles: ${roles.join(', ')}`);
    }
    const communityId = (request.params as Record<string, string> | undefined)?.communityId;
    if (communityId) assertCommunityAccess(principal, communityId);
    return true;
  }
}
