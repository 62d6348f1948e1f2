import { AnnouncementScope, AnnouncementState } from '@cg/contracts';
import {
  Layout,
  appliesTo,
  audienceIds,
  feedCursor,
  parseFeedCursor,
  placeKeys,
  stateAt,
  targetKeys,
} from './audience';

const id = (n: number) => n.toString(16).padStart(24, '0');
const [areaA, areaB, grid1, grid2, grid3, b1, b2, b3] = [1, 2, 3, 4, 5, 6, 7, 8].map(id);
const layout: Layout = {
  areas: new Map([
    [areaA, [grid1, grid2]],
    [areaB, [grid3]],
  ]),
  grids: new Map([
    [grid1, [b1]],
    [grid2, [b2]],
    [grid3, [b3]],
  ]),
  buildings: new Set([b1, b2, b3]),
};
const residentOf = (buildingId: string, gridId: string) => ({ buildingId, gridId });

function targetsFor(scope: AnnouncementScope, ids: string[] = []): string[] {
  const key = { areas: 'areaIds', grids: 'gridIds', buildings: 'buildingIds', community: 'none' }[scope];
  const result = audienceIds({ scope, ...(ids.length && { [key]: ids }) }, layout);
  if (!('ids' in result)) throw new Error(result.refusal);
  return targetKeys(scope, result.ids, layout);
}

describe('announcement feed targeting', () => {
  it('reaches everyone with a community notice, including a reader whose residence is not known yet', () => {
    const targets = targetsFor(AnnouncementScope.Community);
    expect(appliesTo(targets, residentOf(b1, grid1))).toBe(true);
    expect(appliesTo(targets, undefined)).toBe(true);
  });

  it('reaches only the residents of a targeted building', () => {
    const targets = targetsFor(AnnouncementScope.Buildings, [b2]);
    expect(appliesTo(targets, residentOf(b2, grid2))).toBe(true);
    expect(appliesTo(targets, residentOf(b1, grid1))).toBe(false);
    expect(appliesTo(targets, undefined)).toBe(false);
  });

  it('reaches every building of a targeted grid', () => {
    const targets = targetsFor(AnnouncementScope.Grids, [grid1]);
    expect(appliesTo(targets, residentOf(b1, grid1))).toBe(true);
    expect(appliesTo(targets, residentOf(b2, grid2))).toBe(false);
  });

  it("reaches the residents of an area through the area's grids", () => {
    const targets = targetsFor(AnnouncementScope.Areas, [areaA]);
    expect(targets).toEqual([`area:${areaA}`, `grid:${grid1}`, `grid:${grid2}`]);
    expect(appliesTo(targets, residentOf(b1, grid1))).toBe(true);
    expect(appliesTo(targets, residentOf(b2, grid2))).toBe(true);
    expect(appliesTo(targets, residentOf(b3, grid3))).toBe(false);
  });

  it('refuses audiences that do not match their scope or name places of another community', () => {
    expect(audienceIds({ scope: AnnouncementScope.Community, gridIds: [grid1] }, layout)).toHaveProperty(
      'refusal',
    );
    expect(audienceIds({ scope: AnnouncementScope.Grids }, layout)).toHaveProperty('refusal');
    expect(
      audienceIds({ scope: AnnouncementScope.Grids, gridIds: [grid1], buildingIds: [b1] }, layout),
    ).toHaveProperty('refusal');
    expect(audienceIds({ scope: AnnouncementScope.Buildings, buildingIds: [id(99)] }, layout)).toHaveProperty(
      'refusal',
    );
    expect(audienceIds({ scope: AnnouncementScope.Grids, gridIds: [b1] }, layout)).toHaveProperty('refusal');
  });

  it('gives a place the keys of its community, grid and building', () => {
    expect(placeKeys(residentOf(b1, grid1))).toEqual(['community', `grid:${grid1}`, `building:${b1}`]);
  });

  it('shows a notice only between its publish time and its expiry', () => {
    const publishAt = new Date('2025-06-06T10:00:00Z');
    const expiresAt = new Date('2025-06-07T10:00:00Z');
    expect(stateAt(publishAt, expiresAt, new Date('2025-06-06T09:59:59Z'))).toBe(AnnouncementState.Scheduled);
    expect(stateAt(publishAt, expiresAt, publishAt)).toBe(AnnouncementState.Live);
    expect(stateAt(publishAt, expiresAt, expiresAt)).toBe(AnnouncementState.Expired);
    expect(stateAt(publishAt, undefined, new Date('2030-01-01T00:00:00Z'))).toBe(AnnouncementState.Live);
  });

  it('round-trips the feed cursor and refuses anything else', () => {
    const position = { rank: 1, publishAt: new Date('2025-06-06T10:00:00Z'), id: id(42) };
    expect(parseFeedCursor(feedCursor(position))).toEqual(position);
    expect(parseFeedCursor('not-a-cursor')).toBeUndefined();
    expect(feedCursor(position).length).toBeLessThanOrEqual(64);
  });
});
