import { mayCompleteShift } from './shift-completion';

const startsAt = new Date('2026-06-06T01:00:00Z');

describe('shift completion', () => {
  it('is refused a millisecond before the shift starts', () => {
    expect(mayCompleteShift(new Date(startsAt.getTime() - 1), startsAt)).toBe(false);
  });

  it('is allowed at the very start and any time after', () => {
    expect(mayCompleteShift(startsAt, startsAt)).toBe(true);
    expect(mayCompleteShift(new Date(startsAt.getTime() + 30 * 24 * 3600_000), startsAt)).toBe(true);
  });

  it('is refused days ahead', () => {
    expect(mayCompleteShift(new Date(startsAt.getTime() - 3 * 24 * 3600_000), startsAt)).toBe(false);
  });
});
