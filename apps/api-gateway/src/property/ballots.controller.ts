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
  ResultVerification,
  Role,
  VoteReceipt,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';
import { BallotPath } from './paths';

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
    summary: "Cast the caller's own vote online",
    description:
      'One vote per owner across online and paper ballots: a second is 409 DUPLICATE. Outside the voting period 409 OUTSIDE_WINDOW. ' +
      'Not in the frozen electorate 403 NOT_ELIGIBLE.',
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
    description: 'Same rules as online votes: 409 DUPLICATE, 409 OUTSIDE_WINDOW, 403 NOT_ELIGIBLE.',
  })
  @ApiCreatedResponse({ type: VoteReceipt })
  @ApiSecured(400, 404, 409)
  paperVote(@Param() path: BallotPath, @Body() body: PaperVoteDto): Promise<VoteReceipt> {
    return this.rpc.send(PropertyRpc.recordPaperVote, { communityId: path.communityId, ballotId: path.ballotId, vote: body });
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
      'Allowed once the period is over, or earlier when every owner has voted (otherwise 409 OUTSIDE_WINDOW). The result lists each ' +
      'test with figures, threshold and pass/fail, and carries SHA-256 hashes over the electorate, the votes and the result.',
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
