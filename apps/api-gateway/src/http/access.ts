import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import { Principal, Role } from '@cg/contracts';
import type { FastifyRequest } from 'fastify';

export { PUBLIC_ROUTE, Public } from '@cg/auth';
export const ROUTE_ROLES = 'route-roles';
/** At least one of these roles; without it any authenticated caller may pass the gateway. */
export const Roles = (...roles: Role[]) => SetMetadata(ROUTE_ROLES, roles);

export interface AuthenticatedRequest extends FastifyRequest {
  principal?: Principal;
  token?: string;
}

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal!;
});
