import { CLAIM_ABANDONED_AFTER_MS, nextClaim } from './ballot-claim';

const now = new Date('2025-06-01T08:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('claiming a topic for a ballot', () => {
  it('claims the first attempt of a topic never claimed', () => {
    expect(nextClaim([], now)).toEqual({ attempt: 1 });
  });

  it('refuses once a ballot was made, whatever the attempt', () => {
    expect(
      nextClaim(
        [
          { attempt: 1, claimedAt: ago(10 * 60_000) },
          { attempt: 2, claimedAt: ago(1000), ballotId: 'b1' },
        ],
        now,
      ),
    ).toEqual({
      refused: 'already_a_ballot',
      ballotId: 'b1',
    });
  });

  it('refuses while a recent claim is still making its ballot', () => {
    expect(nextClaim([{ attempt: 1, claimedAt: ago(CLAIM_ABANDONED_AFTER_MS - 1) }], now)).toEqual({
      refused: 'in_progress',
    });
  });

  it('tries the next attempt after a claim left without a ballot', () => {
    expect(nextClaim([{ attempt: 1, claimedAt: ago(CLAIM_ABANDONED_AFTER_MS) }], now)).toEqual({
      attempt: 2,
    });
    expect(
      nextClaim(
        [
          { attempt: 2, claimedAt: ago(CLAIM_ABANDONED_AFTER_MS * 3) },
          { attempt: 1, claimedAt: ago(CLAIM_ABANDONED_AFTER_MS * 9) },
        ],
        now,
      ),
    ).toEqual({ attempt: 3 });
  });
});
