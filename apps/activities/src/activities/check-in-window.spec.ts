import { checkInWindow } from './check-in-window';

const MINUTE = 60_000;
const terms = { opensBeforeMs: 30 * MINUTE, closesAfterStartMs: 120 * MINUTE };
const startsAt = new Date('2026-06-06T02:00:00Z');
const endsAt = new Date('2026-06-06T04:00:00Z');
const at = (offsetMinutes: number) => new Date(startsAt.getTime() + offsetMinutes * MINUTE);

describe('check-in window', () => {
  it('is not open a millisecond before half an hour ahead of the start, and opens exactly then', () => {
    expect(checkInWindow(new Date(at(-30).getTime() - 1), startsAt, endsAt, terms)).toBe('not_open');
    expect(checkInWindow(at(-30), startsAt, endsAt, terms)).toBe('open');
  });

  it('is not open days early', () => {
    expect(checkInWindow(at(-3 * 24 * 60), startsAt, endsAt, terms)).toBe('not_open');
  });

  it('stays open up to and including the end, and closes right after', () => {
    expect(checkInWindow(at(0), startsAt, endsAt, terms)).toBe('open');
    expect(checkInWindow(endsAt, startsAt, endsAt, terms)).toBe('open');
    expect(checkInWindow(new Date(endsAt.getTime() + 1), startsAt, endsAt, terms)).toBe('closed');
  });

  it('closes two hours after the start of an activity without an end', () => {
    expect(checkInWindow(at(120), startsAt, undefined, terms)).toBe('open');
    expect(checkInWindow(new Date(at(120).getTime() + 1), startsAt, undefined, terms)).toBe('closed');
  });

  it('follows other terms', () => {
    const wide = { opensBeforeMs: 24 * 60 * MINUTE, closesAfterStartMs: 0 };
    expect(checkInWindow(at(-24 * 60), startsAt, undefined, wide)).toBe('open');
    expect(checkInWindow(new Date(startsAt.getTime() + 1), startsAt, undefined, wide)).toBe('closed');
  });
});
