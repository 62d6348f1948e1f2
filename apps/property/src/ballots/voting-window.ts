import { BallotStatus } from '@cg/contracts';

/** A vote that passed the window check is stored well within this; closing waits it out. */
export const CLOSE_GRACE_MS = 30_000;

export interface BallotClock {
  status: BallotStatus;
  opensAt: Date;
  closesAt: Date;
}

/** Why a vote at `now` is refused, or undefined when it may be cast. The period includes its start, not its end. */
export function voteRefusal(ballot: BallotClock, now: Date): 'not_open' | 'not_yet' | 'ended' | undefined {
  if (ballot.status !== BallotStatus.Open) return 'not_open';
  if (now < ballot.opensAt) return 'not_yet';
  if (now >= ballot.closesAt) return 'ended';
  return undefined;
}

/**
 * Voting ends once the period is over (plus a grace for votes already on their way), or earlier when every
 * owner of the frozen electorate has voted, since nothing can change any more.
 */
export function mayClose(ballot: BallotClock, now: Date, votesCast: number, owners: number, graceMs = CLOSE_GRACE_MS): boolean {
  if (ballot.status !== BallotStatus.Open && ballot.status !== BallotStatus.Closing) return false;
  return votesCast >= owners || now.getTime() >= ballot.closesAt.getTime() + graceMs;
}
