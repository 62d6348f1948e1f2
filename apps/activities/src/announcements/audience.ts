import { AnnouncementAudienceDto, AnnouncementScope, AnnouncementState } from '@cg/contracts';

/**
 * Feed targeting. An announcement stores flat target keys; a reader's place gives the keys that reach them; the
 * announcement applies when the two share one. An area notice also stores the keys of the area's grids, so a feed
 * needs only the reader's building and grid.
 */

export const COMMUNITY_KEY = 'community';

export interface Place {
  buildingId: string;
  gridId: string;
}

/** The community's layout as far as targeting needs it: each area's grids and each grid's buildings. */
export interface Layout {
  areas: Map<string, string[]>;
  grids: Map<string, string[]>;
  buildings: Set<string>;
}

/** The ids the audience lists, or a reason the audience is not valid for this community. */
export function audienceIds(
  audience: AnnouncementAudienceDto,
  layout: Layout,
): { ids: string[] } | { refusal: string } {
  const lists = { areas: audience.areaIds, grids: audience.gridIds, buildings: audience.buildingIds };
  const given = Object.entries(lists).filter(([, ids]) => ids && ids.length > 0);
  if (audience.scope === AnnouncementScope.Community) {
    return given.length === 0
      ? { ids: [] }
      : { refusal: 'A notice to the whole community lists no areas, grids or buildings' };
  }
  const ids = lists[audience.scope] ?? [];
  if (ids.length === 0 || given.length !== 1)
    return { refusal: `A notice to ${audience.scope} lists those ${audience.scope} and nothing else` };
  const known =
    audience.scope === AnnouncementScope.Areas
      ? layout.areas
      : audience.scope === AnnouncementScope.Grids
        ? layout.grids
        : layout.buildings;
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0)
    return { refusal: `Not ${audience.scope} of this community: ${unknown.join(', ')}` };
  return { ids: [...new Set(ids)] };
}

/** The keys stored on an announcement for its (valid) audience. */
export function targetKeys(scope: AnnouncementScope, ids: string[], layout: Layout): string[] {
  switch (scope) {
    case AnnouncementScope.Community:
      return [COMMUNITY_KEY];
    case AnnouncementScope.Areas:
      return [
        ...ids.map((id) => `area:${id}`),
        ...ids.flatMap((id) => layout.areas.get(id) ?? []).map((grid) => `grid:${grid}`),
      ];
    case AnnouncementScope.Grids:
      return ids.map((id) => `grid:${id}`);
    case AnnouncementScope.Buildings:
      return ids.map((id) => `building:${id}`);
  }
}

/** The keys that reach a reader; one whose residence is not known yet sees only community-wide notices. */
export function placeKeys(place: Place | undefined): string[] {
  return place ? [COMMUNITY_KEY, `grid:${place.gridId}`, `building:${place.buildingId}`] : [COMMUNITY_KEY];
}

export function appliesTo(targets: readonly string[], place: Place | undefined): boolean {
  const keys = placeKeys(place);
  return targets.some((t) => keys.includes(t));
}

export function stateAt(publishAt: Date, expiresAt: Date | undefined, now: Date): AnnouncementState {
  if (publishAt > now) return AnnouncementState.Scheduled;
  if (expiresAt && expiresAt <= now) return AnnouncementState.Expired;
  return AnnouncementState.Live;
}

/** Feed order: pinned first, then newest published, then newest posted. The cursor names the last item shown. */
export interface FeedPosition {
  rank: number;
  publishAt: Date;
  id: string;
}

export function feedCursor(position: FeedPosition): string {
  return `${position.rank}_${position.publishAt.getTime()}_${position.id}`;
}

export function parseFeedCursor(cursor: string): FeedPosition | undefined {
  const m = /^([01])_(\d{1,15})_([0-9a-f]{24})$/.exec(cursor);
  return m ? { rank: Number(m[1]), publishAt: new Date(Number(m[2])), id: m[3] } : undefined;
}
