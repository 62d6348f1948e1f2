import { offsetOf, pageAt, rankTopics } from './ranking';

const at = (minute: number) => new Date(Date.UTC(2025, 5, 1, 8, minute));

describe('ranking the forum', () => {
  it('puts the most supported first, then the newest, then the later id', () => {
    const ranked = rankTopics([
      { id: 'a', supports: 2, raisedAt: at(1) },
      { id: 'b', supports: 5, raisedAt: at(0) },
      { id: 'c', supports: 2, raisedAt: at(3) },
      { id: 'd', supports: 0, raisedAt: at(9) },
      { id: 'e', supports: 2, raisedAt: at(3) },
    ]);
    expect(ranked.map((t) => t.id)).toEqual(['b', 'e', 'c', 'a', 'd']);
  });

  it('pages the ranking by offset and says where the next page starts', () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    expect(pageAt(items, 0, 2)).toEqual({ items: ['a', 'b'], nextCursor: '2' });
    expect(pageAt(items, 4, 2)).toEqual({ items: ['e'] });
    expect(pageAt(items, 3, 2)).toEqual({ items: ['d', 'e'] });
    expect(offsetOf(undefined)).toBe(0);
    expect(offsetOf('2')).toBe(2);
    expect(offsetOf('-1')).toBeUndefined();
    expect(offsetOf('64b7f0c2a1b2c3d4e5f60718')).toBeUndefined();
  });
});
