import { DomainException, ErrorCode, Principal, Role, canActIn, hasAnyRole } from '@cg/contracts';

/** The check every service repeats for every community-scoped request, whatever the gateway decided. */
export function assertCommunityAccess(principal: Principal, communityId: string): void {
  if (!canActIn(principal, communityId)) {
    throw new DomainException(ErrorCode.FORBIDDEN, 'You have no access to this community');
  }
}

export function assertRole(principal: Principal, roles: readonly Role[]): void {
  if (!hasAnyRole(principal, [...roles, Role.System])) {
    throw new DomainException(ErrorCode.FORBIDDEN, `This needs one of the roles: ${roles.join(', ')}`);
  }
}

/** Staff of a community (or above) may manage it. */
export const COMMUNITY_MANAGERS: readonly Role[] = [Role.CommunityStaff, Role.DistrictAdmin];
