import { PageQueryDto } from '../common/pagination';
import type { InCommunity } from '../grid/subjects';
import { rpc } from '../rpc';
import { CastVoteDto, CreateBallotDto, PaperVoteDto, RecordProxyDto, RevokeProxyDto } from './dto';
import {
  BallotPage,
  BallotProgress,
  BallotResultView,
  BallotView,
  OwnerRegisterSummary,
  ProxyView,
  RegisteredUnitView,
  ResultVerification,
  VoteReceipt,
} from './views';

type OfBallot = InCommunity & { ballotId: string };

export const PropertyRpc = {
  ownerRegisterSummary: rpc<InCommunity, OwnerRegisterSummary>('property.owner-register.summary'),
  getRegisteredUnit: rpc<InCommunity & { unitId: string }, RegisteredUnitView>('property.owner-register.get-unit'),
  createBallot: rpc<InCommunity & { ballot: CreateBallotDto }, BallotView>('property.ballots.create'),
  listBallots: rpc<InCommunity & { page: PageQueryDto }, BallotPage>('property.ballots.list'),
  getBallot: rpc<OfBallot, BallotView>('property.ballots.get'),
  openBallot: rpc<OfBallot, BallotView>('property.ballots.open'),
  closeBallot: rpc<OfBallot, BallotResultView>('property.ballots.close'),
  ballotProgress: rpc<OfBallot, BallotProgress>('property.ballots.progress'),
  castVote: rpc<OfBallot & { vote: CastVoteDto }, VoteReceipt>('property.votes.cast'),
  recordPaperVote: rpc<OfBallot & { vote: PaperVoteDto }, VoteReceipt>('property.votes.record-paper'),
  getResult: rpc<OfBallot, BallotResultView>('property.ballot-results.get'),
  verifyResult: rpc<OfBallot, ResultVerification>('property.ballot-results.verify'),
  recordProxy: rpc<OfBallot & { proxy: RecordProxyDto }, ProxyView>('property.ballot-proxies.record'),
  revokeProxy: rpc<OfBallot & { proxyId: string; revocation: RevokeProxyDto }, ProxyView>('property.ballot-proxies.revoke'),
} as const;
