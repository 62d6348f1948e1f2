import { createHash } from 'node:crypto';

/** A notice as the inbox orders it. */
export interface InboxEntry {
  id: string;
  at: Date;
  storedAt: Date;
}

/**
 * A reader has read a notice when it was stored no later than their read-all watermark, or when a read mark of
 * theirs names it. So unread = (notices stored after the watermark) minus (read marks), counted over the reader's
 * personal notices and the audience notices of their community, area, grid, building and roles alike.
 */
export function isRead(entry: InboxEntry, watermark: Date | undefined, marks: Set<string>): boolean {
  return (watermark !== undefined && entry.storedAt.getTime() <= watermark.getTime()) || marks.has(entry.id);
}

interface Position {
  read: number;
  at: number;
  tie: string;
}

const tie = (id: string) => createHash('sha1').update(id).digest('hex').slice(0, 12);

function positionOf(entry: InboxEntry, read: boolean): Position {
  return { read: read ? 1 : 0, at: entry.at.getTime(), tie: tie(entry.id) };
}

/** Unread first, then newest, then a stable tie-break. */
function compare(a: Position, b: Position): number {
  return a.read - b.read || b.at - a.at || (a.tie < b.tie ? -1 : a.tie > b.tie ? 1 : 0);
}

export function encodeCursor(p: Position): string {
  return `${p.read}${p.at.toString(36)}.${p.tie}`;
}

export function decodeCursor(cursor: string | undefined): Position | undefined {
  const parts = cursor ? /^([01])([0-9a-z]{1,12})\.([0-9a-f]{12})$/.exec(cursor) : null;
  if (!parts) return undefined;
  return { read: Number(parts[1]), at: parseInt(parts[2], 36), tie: parts[3] };
}

/** One page of the inbox in its order, after `cursor`; `read` says what the reader has read. */
export function inboxPage<E extends InboxEntry>(
  entries: E[],
  read: (entry: E) => boolean,
  cursor: string | undefined,
  limit: number,
): { items: { entry: E; read: boolean }[]; nextCursor?: string } {
  const after = decodeCursor(cursor);
  const ordered = entries
    .map((entry) => ({ entry, read: read(entry), position: positionOf(entry, read(entry)) }))
    .filter((e) => !after || compare(e.position, after) > 0)
    .sort((a, b) => compare(a.position, b.position));
  const items = ordered.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(({ entry, read: r }) => ({ entry, read: r })),
    ...(ordered.length > limit && last && { nextCursor: encodeCursor(last.position) }),
  };
}

/** Entries strictly after `from` in time order (oldest first): what a resumed stream missed. */
export function entriesAfter<E extends InboxEntry>(entries: E[], from: InboxEntry, limit: number): E[] {
  const key = (e: InboxEntry) => [e.at.getTime(), e.id] as const;
  const [fromAt, fromId] = key(from);
  return entries
    .filter((e) => e.at.getTime() > fromAt || (e.at.getTime() === fromAt && e.id > fromId))
    .sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : 1))
    .slice(0, limit);
}
