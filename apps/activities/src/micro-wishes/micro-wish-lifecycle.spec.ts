import { MicroWishStatus } from '@cg/contracts';
import { claimDeadline, isClaimable, wishStep } from './micro-wish-lifecycle';

describe('the micro-wish lifecycle', () => {
  it('reviews only wishes waiting for review', () => {
    expect(wishStep('approve')).toEqual({ from: MicroWishStatus.PendingReview, to: MicroWishStatus.Approved });
    expect(wishStep('reject')).toEqual({ from: MicroWishStatus.PendingReview, to: MicroWishStatus.Rejected });
  });

  it('claims approved wishes, fulfils claimed ones, and lets the resident confirm or dispute a fulfilment', () => {
    expect(wishStep('claim').from).toBe(MicroWishStatus.Approved);
    expect(wishStep('fulfil').from).toBe(MicroWishStatus.Claimed);
    expect(wishStep('confirm').from).toBe(MicroWishStatus.Fulfilled);
    expect(wishStep('dispute')).toEqual({ from: MicroWishStatus.Fulfilled, to: MicroWishStatus.Disputed });
  });

  it('expires only approved, unclaimed wishes', () => {
    expect(wishStep('expire')).toEqual({ from: MicroWishStatus.Approved, to: MicroWishStatus.Expired });
  });

  it('keeps a wish claimable until its deadline, and not at the deadline', () => {
    const approvedAt = new Date('2025-06-01T00:00:00Z');
    const deadline = claimDeadline(approvedAt, 30 * 24 * 3600_000);
    expect(deadline.toISOString()).toBe('2025-07-01T00:00:00.000Z');
    expect(isClaimable(MicroWishStatus.Approved, deadline, new Date('2025-06-30T23:59:59Z'))).toBe(true);
    expect(isClaimable(MicroWishStatus.Approved, deadline, deadline)).toBe(false);
    expect(isClaimable(MicroWishStatus.Claimed, deadline, approvedAt)).toBe(false);
  });
});
