import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  BallotPage,
  BallotProgress,
  BallotResultView,
  BallotView,
  CastVoteDto,
  CreateBallotDto,
  PageQueryDto,
  PaperVoteDto,
  PropertyRpc,
  ProxyView,
  RecordProxyDto,
  ResultVerification,
  RevokeProxyDto,
  Role,
  VoteReceipt,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';
import { BallotPath, BallotProxyPath } from './paths';

const ORGANISERS = [Role.OwnersCommitteeMember, Role.CommunityStaff, Role.DistrictAdmin];

@ApiTags('property')
@Controller('communities/:communityId/ballots')
export class BallotsController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(...ORGANISERS)
  @Post()
  @ApiOperation({
    summary: "Prepare an owners' assembly ballot",
    description:
      'The matter fixes the majority: raising the maintenance fund, rebuilding and changing the use of common parts are special ' +
      '(at least 3/4 of participating area and owners); every other matter is ordinary (more than 1/2 of both).',
  })
  @ApiCreatedResponse({ type: BallotView })
  @ApiSecured(400)
  create(@Param() path: CommunityPath, @Body() body: CreateBallotDto): Promise<BallotView> {
    return this.rpc.send(PropertyRpc.createBallot, { communityId: path.communityId, ballot: body });
  }

  @Get()
  @ApiOperation({ summary: 'Ballots of the community, a page at a time' })
  @ApiOkResponse({ type: BallotPage })
  @ApiSecured(400)
  list(@Param() path: CommunityPath, @Query() page: PageQueryDto): Promise<BallotPage> {
    return this.rpc.send(PropertyRpc.listBallots, { communityId: path.communityId, page });
  }

  @Get(':ballotId')
  @ApiOperation({ summary: 'One ballot with its status and, once open, its frozen electorate totals' })
  @ApiOkResponse({ type: BallotView })
  @ApiSecured(400, 404)
  get(@Param() path: BallotPath): Promise<BallotView> {
    return this.rpc.send(PropertyRpc.getBallot, { communityId: path.communityId, ballotId: path.ballotId });
  }

  @Roles(...ORGANISERS)
  @Post(':ballotId/open')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Open the ballot and freeze its electorate',
    description: 'Every owner on the register now, with area and headcount weight; owners registered later cannot vote. 409 INVALID_TRANSITION unless draft.',
  })
  @ApiOkResponse({ type: BallotView })
  @ApiSecured(404, 409)
  open(@Param() path: BallotPath): Promise<BallotView> {
    return this.rpc.send(PropertyRpc.openBallot, { communityId: path.communityId, ballotId: path.ballotId }, { timeoutMs: 30_000 });
  }

  @Post(':ballotId/votes')
  @ApiOperation({
    summary: "Cast the caller's own vote online, or as proxy for an owner who authorised the caller in writing",
    description:
      'One vote per owner across online, paper and proxy votes: a second (the owner after the proxy, or the proxy after the owner) is 409 DUPLICATE. ' +
      'Outside the voting period (from closesAt on, even before the ballot is closed) 409 OUTSIDE_WINDOW. ' +
      'Not in the frozen electorate nor a proxy 403 NOT_ELIGIBLE. Election ballots take `choices` (for / against / abstain on every candidate), ' +
      'other ballots `option`. A caller voting for several owners names one in ownerKey.',
  })
  @ApiCreatedResponse({ type: VoteReceipt })
  @ApiSecured(400, 404, 409)
  vote(@Param() path: BallotPath, @Body() body: CastVoteDto): Promise<VoteReceipt> {
    return this.rpc.send(PropertyRpc.castVote, { communityId: path.communityId, ballotId: path.ballotId, vote: body });
  }

  @Roles(...ORGANISERS)
  @Post(':ballotId/paper-votes')
  @ApiOperation({
    summary: 'Record a paper ballot (in person or in writing) for the owner of a unit',
    description: 'Same rules as online votes: 409 DUPLICATE, 409 OUTSIDE_WINDOW, 403 NOT_ELIGIBLE. Emits evt.property.paper-vote.recorded.',
  })
  @ApiCreatedResponse({ type: VoteReceipt })
  @ApiSecured(400, 404, 409)
  paperVote(@Param() path: BallotPath, @Body() body: PaperVoteDto): Promise<VoteReceipt> {
    return this.rpc.send(PropertyRpc.recordPaperVote, { communityId: path.communityId, ballotId: path.ballotId, vote: body });
  }

  @Roles(...ORGANISERS)
  @Post(':ballotId/proxies')
  @ApiOperation({
    summary: "Record an owner's written authorisation of a proxy for this ballot (委托投票)",
    description:
      'The proxy then votes online once for the owner; the owner and the proxy share one vote. One authorisation in force per owner ' +
      '(409 DUPLICATE, also when the owner has voted); only while the ballot is open and its period not over (409 OUTSIDE_WINDOW). ' +
      'Emits evt.property.proxy.recorded.',
  })
  @ApiCreatedResponse({ type: ProxyView })
  @ApiSecured(400, 404, 409)
  recordProxy(@Param() path: BallotPath, @Body() body: RecordProxyDto): Promise<ProxyView> {
    return this.rpc.send(PropertyRpc.recordProxy, { communityId: path.communityId, ballotId: path.ballotId, proxy: body });
  }

  @Roles(...ORGANISERS)
  @Post(':ballotId/proxies/:proxyId/revoke')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Revoke a proxy authorisation before the proxy votes',
    description: '409 INVALID_TRANSITION once the proxy has voted (or is voting) under it, or when it is revoked already.',
  })
  @ApiOkResponse({ type: ProxyView })
  @ApiSecured(400, 404, 409)
  revokeProxy(@Param() path: BallotProxyPath, @Body() body: RevokeProxyDto): Promise<ProxyView> {
    return this.rpc.send(PropertyRpc.revokeProxy, { communityId: path.communityId, ballotId: path.ballotId, proxyId: path.proxyId, revocation: body });
  }

  @Roles(...ORGANISERS)
  @Get(':ballotId/progress')
  @ApiOperation({ summary: 'Live participation by area and owners, overall and per building (lowest first)' })
  @ApiOkResponse({ type: BallotProgress })
  @ApiSecured(404, 409)
  progress(@Param() path: BallotPath): Promise<BallotProgress> {
    return this.rpc.send(PropertyRpc.ballotProgress, { communityId: path.communityId, ballotId: path.ballotId }, { timeoutMs: 15_000 });
  }

  @Roles(...ORGANISERS)
  @Post(':ballotId/close')
  @HttpCode(200)
  @ApiOperation({
    summary: 'End voting, tally under the double majority and seal the result',
    description:
      'Allowed once the period is over, or earlier when every owner has voted (otherwise 409 OUTSIDE_WINDOW). Ballots also close themselves ' +
      'shortly after closesAt. The result lists each test with figures, threshold and pass/fail, votes by channel (online, paper, proxy), ' +
      'for election ballots the seats filled and left empty with each candidate\'s tally and verdict, and carries SHA-256 hashes over ' +
      'the electorate, the votes and the result. Emits evt.property.ballot.closed.',
  })
  @ApiOkResponse({ type: BallotResultView })
  @ApiSecured(404, 409)
  close(@Param() path: BallotPath): Promise<BallotResultView> {
    return this.rpc.send(PropertyRpc.closeBallot, { communityId: path.communityId, ballotId: path.ballotId }, { timeoutMs: 30_000 });
  }

  @Get(':ballotId/result')
  @ApiOperation({ summary: 'The sealed result of a closed ballot' })
  @ApiOkResponse({ type: BallotResultView })
  @ApiSecured(404)
  result(@Param() path: BallotPath): Promise<BallotResultView> {
    return this.rpc.send(PropertyRpc.getResult, { communityId: path.communityId, ballotId: path.ballotId });
  }

  @Get(':ballotId/result/verification')
  @ApiOperation({
    summary: 'Recompute the hashes and the tally from the stored electorate and votes and compare with the sealed record',
  })
  @ApiOkResponse({ type: ResultVerification })
  @ApiSecured(404)
  verify(@Param() path: BallotPath): Promise<ResultVerification> {
    return this.rpc.send(PropertyRpc.verifyResult, { communityId: path.communityId, ballotId: path.ballotId }, { timeoutMs: 30_000 });
  }
}
