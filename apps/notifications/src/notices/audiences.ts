import { AnnouncementScope, Principal, Role } from '@cg/contracts';

/** Where a reader lives, as grid answers it. */
export interface ReaderPlace {
  areaId: string;
  gridId: string;
  buildingId: string;
}

/** At most this many communities' keys per reader (a district admin's token may name many). */
const MAX_COMMUNITIES = 20;

/** The inbox's reader: a person when the account is linked to one, else the account itself. */
export function readerIdOf(caller: Principal): string {
  return caller.personId ?? `account.${caller.sub}`;
}

export const audienceKey = {
  community: (communityId: string) => `community.${communityId}`,
  area: (id: string) => `area.${id}`,
  grid: (id: string) => `grid.${id}`,
  building: (id: string) => `building.${id}`,
  role: (communityId: string, role: Role) => `role.${communityId}.${role}`,
};

/** The audience keys a reader belongs to: their communities, the roles they hold there, their area, grid, building. */
export function readerKeys(caller: Pick<Principal, 'communityIds' | 'roles'>, place: ReaderPlace | undefined): string[] {
  const keys: string[] = [];
  for (const communityId of caller.communityIds.slice(0, MAX_COMMUNITIES)) {
    keys.push(audienceKey.community(communityId));
    for (const role of caller.roles) keys.push(audienceKey.role(communityId, role));
  }
  if (place) keys.push(audienceKey.area(place.areaId), audienceKey.grid(place.gridId), audienceKey.building(place.buildingId));
  return keys;
}

/** The audience keys an announcement addresses. */
export function announcementKeys(communityId: string, scope: AnnouncementScope, targetIds: string[]): string[] {
  switch (scope) {
    case AnnouncementScope.Community:
      return [audienceKey.community(communityId)];
    case AnnouncementScope.Areas:
      return targetIds.map(audienceKey.area);
    case AnnouncementScope.Grids:
      return targetIds.map(audienceKey.grid);
    case AnnouncementScope.Buildings:
      return targetIds.map(audienceKey.building);
  }
}
