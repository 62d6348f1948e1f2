import { MicroWishStatus } from '@cg/contracts';

export type MicroWishStep = 'approve' | 'reject' | 'claim' | 'fulfil' | 'confirm' | 'dispute' | 'expire';

/** Posted -> reviewed -> (approved) claimed -> fulfilled -> confirmed or disputed; approved and unclaimed -> expired. */
const STEPS: Record<MicroWishStep, { from: MicroWishStatus; to: MicroWishStatus }> = {
  approve: { from: MicroWishStatus.PendingReview, to: MicroWishStatus.Approved },
  reject: { from: MicroWishStatus.PendingReview, to: MicroWishStatus.Rejected },
  claim: { from: MicroWishStatus.Approved, to: MicroWishStatus.Claimed },
  fulfil: { from: MicroWishStatus.Claimed, to: MicroWishStatus.Fulfilled },
  confirm: { from: MicroWishStatus.Fulfilled, to: MicroWishStatus.Confirmed },
  dispute: { from: MicroWishStatus.Fulfilled, to: MicroWishStatus.Disputed },
  expire: { from: MicroWishStatus.Approved, to: MicroWishStatus.Expired },
};

export function wishStep(step: MicroWishStep): { from: MicroWishStatus; to: MicroWishStatus } {
  return STEPS[step];
}

/** An approved wish is on the board until this time; unclaimed by then, it expires. */
export function claimDeadline(approvedAt: Date, claimWindowMs: number): Date {
  return new Date(approvedAt.getTime() + claimWindowMs);
}

export function isClaimable(status: MicroWishStatus, expiresAt: Date | undefined, now: Date): boolean {
  return status === MicroWishStatus.Approved && expiresAt !== undefined && now < expiresAt;
}
