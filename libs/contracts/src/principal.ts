export enum Role {
  Resident = 'resident',
  Owner = 'owner',
  PartyMember = 'party_member',
  Volunteer = 'volunteer',
  Partner = 'partner',
  BuildingLeader = 'building_leader',
  GridWorker = 'grid_worker',
  CommunityStaff = 'community_staff',
  OwnersCommitteeMember = 'owners_committee_member',
  PropertyManager = 'property_manager',
  DistrictAdmin = 'district_admin',
  /** A service acting on its own behalf (event handlers, seeding). Never issued at login. */
  System = 'system',
}

/** Who is calling: carried in every request, verified at the gateway and again in each service. */
export interface Principal {
  /** Account id. */
  sub: string;
  personId?: string;
  name: string;
  roles: Role[];
  /** Communities this principal may act in. District admins and the system may act in any. */
  communityIds: string[];
}

export function spansAllCommunities(principal: Principal): boolean {
  return principal.roles.includes(Role.DistrictAdmin) || principal.roles.includes(Role.System);
}

export function canActIn(principal: Principal, communityId: string): boolean {
  return spansAllCommunities(principal) || principal.communityIds.includes(communityId);
}

export function hasAnyRole(principal: Principal, roles: readonly Role[]): boolean {
  return roles.some((role) => principal.roles.includes(role));
}
