import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role, hasAnyRole } from '@cg/contracts';
import { TokenService, assertCommunityAccess } from '@cg/auth';
import { DomainException, ErrorCode } from '@cg/contracts';
import { AuthenticatedRequest, PUBLIC_ROUTE, ROUTE_ROLES } from './access';

/**
 * Every route needs a valid bearer token unless marked public; roles come from the route, and a
 * `:communityId` in the path must be one the caller may act in. Services check the same again.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = this.tokens.fromAuthorizationHeader(request.headers.authorization);
    request.principal = principal;
    request.token = request.headers.authorization!.replace(/^Bearer\s+/i, '');
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROUTE_ROLES, targets);
    if (roles && !hasAnyRole(principal, roles)) {
      throw new DomainException(ErrorCode.FORBIDDEN, `This needs one of the roles: ${roles.join(', ')}`);
    }
    const communityId = (request.params as Record<string, string> | undefined)?.communityId;
    if (communityId) assertCommunityAccess(principal, communityId);
    return true;
  }
}
