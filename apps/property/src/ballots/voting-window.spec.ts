import { BallotStatus } from '@cg/contracts';
import { CLOSE_GRACE_MS, mayClose, voteRefusal } from './voting-window';

const opensAt = new Date('2025-06-01T00:00:00Z');
const closesAt = new Date('2025-06-15T00:00:00Z');
const open = { status: BallotStatus.Open, opensAt, closesAt };
const at = (iso: string) => new Date(iso);

describe('the voting period', () => {
  it('accepts a vote from the first millisecond of the period', () => {
    expect(voteRefusal(open, opensAt)).toBeUndefined();
    expect(voteRefusal(open, at('2025-06-14T23:59:59.999Z'))).toBeUndefined();
  });

  it('refuses a vote before the period and from its end on', () => {
    expect(voteRefusal(open, at('2025-05-31T23:59:59.999Z'))).toBe('not_yet');
    expect(voteRefusal(open, closesAt)).toBe('ended');
  });

  it('refuses a vote on a ballot that is not open, whatever the clock says', () => {
    expect(voteRefusal({ ...open, status: BallotStatus.Draft }, at('2025-06-02T00:00:00Z'))).toBe('not_open');
    expect(voteRefusal({ ...open, status: BallotStatus.Closed }, at('2025-06-02T00:00:00Z'))).toBe('not_open');
  });

  it('closes after the period and its grace, or as soon as every owner has voted', () => {
    expect(mayClose(open, closesAt, 5, 10)).toBe(false);
    expect(mayClose(open, new Date(closesAt.getTime() + CLOSE_GRACE_MS), 5, 10)).toBe(true);
    expect(mayClose(open, at('2025-06-02T00:00:00Z'), 10, 10)).toBe(true);
    expect(mayClose({ ...open, status: BallotStatus.Draft }, at('2025-07-01T00:00:00Z'), 0, 10)).toBe(false);
  });
});
