import { choosePromotions } from './promotion';

const w = (queuePosition: number, headcount: number) => ({ id: `r${queuePosition}`, queuePosition, headcount });

describe('waiting-list promotion', () => {
  it('promotes nobody when no place is free', () => {
    expect(choosePromotions(0, [w(1, 1)])).toEqual([]);
  });

  it('promotes the first waiting registration when it fits', () => {
    expect(choosePromotions(2, [w(1, 2), w(2, 1)]).map((r) => r.id)).toEqual(['r1']);
  });

  it('skips a party too large for the free places and promotes the first one behind it that fits', () => {
    expect(choosePromotions(2, [w(1, 3), w(2, 2), w(3, 1)]).map((r) => r.id)).toEqual(['r2']);
  });

  it('fills every free place in queue order, counting people', () => {
    expect(choosePromotions(4, [w(1, 1), w(2, 4), w(3, 2), w(4, 2)]).map((r) => r.id)).toEqual(['r1', 'r3']);
  });

  it('follows queue positions, not the order it was handed the list in', () => {
    expect(choosePromotions(1, [w(7, 1), w(3, 1)]).map((r) => r.id)).toEqual(['r3']);
  });

  it('promotes nobody when every waiting party is larger than the free places', () => {
    expect(choosePromotions(1, [w(1, 2), w(2, 3)])).toEqual([]);
  });
});
