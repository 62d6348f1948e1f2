import { InboxEntry, decodeCursor, entriesAfter, inboxPage, isRead } from './inbox';

const entry = (id: string, atMs: number, storedMs = atMs): InboxEntry => ({ id, at: new Date(atMs), storedAt: new Date(storedMs) });

describe('the inbox order and unread rule', () => {
  const entries = [entry('a', 1000), entry('b', 2000), entry('c', 3000), entry('d', 4000), entry('e', 5000)];

  it('counts a notice read when stored before the watermark or marked, unread otherwise', () => {
    const marks = new Set(['d']);
    const watermark = new Date(2500);
    expect(entries.map((e) => isRead(e, watermark, marks))).toEqual([true, true, false, true, false]);
    expect(isRead(entry('x', 1, 1), undefined, new Set())).toBe(false);
  });

  it('lists unread first, then newest, across pages without gaps or repeats', () => {
    const marks = new Set(['d', 'a']);
    const read = (e: InboxEntry) => isRead(e, undefined, marks);
    const first = inboxPage(entries, read, undefined, 2);
    expect(first.items.map((i) => [i.entry.id, i.read])).toEqual([['e', false], ['c', false]]);
    const second = inboxPage(entries, read, first.nextCursor, 2);
    expect(second.items.map((i) => i.entry.id)).toEqual(['b', 'd']);
    const third = inboxPage(entries, read, second.nextCursor, 2);
    expect(third.items.map((i) => i.entry.id)).toEqual(['a']);
    expect(third.nextCursor).toBeUndefined();
    expect(first.nextCursor!.length).toBeLessThanOrEqual(64);
  });

  it('ignores a cursor it did not make', () => {
    expect(decodeCursor('not-a-cursor')).toBeUndefined();
  });

  it('answers the notices after a given one, oldest first, for a resumed stream', () => {
    expect(entriesAfter(entries, entries[1], 10).map((e) => e.id)).toEqual(['c', 'd', 'e']);
    expect(entriesAfter(entries, entries[4], 10)).toEqual([]);
  });
});
