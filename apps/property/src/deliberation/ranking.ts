import type { Page } from '@cg/contracts';

export interface RankedTopic {
  id: string;
  supports: number;
  raisedAt: Date;
}

/** Most supported first; among equals the newest, then the later id, so the order is total and pages are stable. */
export function rankTopics<T extends RankedTopic>(topics: readonly T[]): T[] {
  return [...topics].sort(
    (a, b) =>
      b.supports - a.supports ||
      b.raisedAt.getTime() - a.raisedAt.getTime() ||
      (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
  );
}

/** The position a ranked list continues from: the cursor of a ranking is an offset, since supports move topics. */
export function offsetOf(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return 0;
  return /^\d{1,9}$/.test(cursor) ? Number(cursor) : undefined;
}

export function pageAt<T>(ranked: readonly T[], offset: number, limit: number): Page<T> {
  const items = ranked.slice(offset, offset + limit);
  return offset + limit < ranked.length ? { items, nextCursor: String(offset + limit) } : { items };
}
