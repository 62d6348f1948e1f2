import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  BracketView,
  CompetitionGridLeaderboardView,
  CompetitionLeaderboardQueryDto,
  CompetitionLeaderboardView,
  CompetitionPage,
  CompetitionView,
  CompetitionsRpc,
  CreateCompetitionDto,
  DrawBracketDto,
  PageQueryDto,
  RecordCompetitionResultDto,
  RecordMatchResultDto,
  Role,
  ScoreEntryView,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { IsMongoId, Matches } from 'class-validator';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';

const ORGANISERS = [Role.CommunityStaff, Role.DistrictAdmin, Role.GridWorker];

export class CompetitionPath extends CommunityPath {
  @ApiProperty({ description: 'Competition id' })
  @IsMongoId()
  competitionId: string;
}

export class MatchPath extends CompetitionPath {
  @ApiProperty({ example: 'R1M3', description: 'Round and match number in the bracket' })
  @Matches(/^R\d{1,2}M\d{1,4}$/, { message: 'matchKey must look like R1M3' })
  matchKey: string;
}

@ApiTags('activities')
@Controller('communities/:communityId/competitions')
export class CompetitionsController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(...ORGANISERS)
  @Post()
  @ApiOperation({
    summary: 'Start a competition across buildings (every building, or those of some grids, are the teams)',
  })
  @ApiCreatedResponse({ type: CompetitionView })
  @ApiSecured(400)
  create(@Param() path: CommunityPath, @Body() body: CreateCompetitionDto): Promise<CompetitionView> {
    return this.rpc.send(CompetitionsRpc.create, { communityId: path.communityId, competition: body });
  }

  @Get()
  @ApiOperation({ summary: "The community's building competitions, a page at a time" })
  @ApiOkResponse({ type: CompetitionPage })
  @ApiSecured(400)
  list(@Param() path: CommunityPath, @Query() page: PageQueryDto): Promise<CompetitionPage> {
    return this.rpc.send(CompetitionsRpc.list, { communityId: path.communityId, page });
  }

  @Get(':competitionId')
  @ApiOperation({ summary: 'One competition' })
  @ApiOkResponse({ type: CompetitionView })
  @ApiSecured(400, 404)
  get(@Param() path: CompetitionPath): Promise<CompetitionView> {
    return this.rpc.send(CompetitionsRpc.get, {
      communityId: path.communityId,
      competitionId: path.competitionId,
    });
  }

  @Roles(...ORGANISERS)
  @Post(':competitionId/results')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Enter a result for a building; publishes competition result recorded',
    description:
      'Idempotent by resultKey: the same key again returns the first entry (firstRecorded false); other figures under it are 409 DUPLICATE.',
  })
  @ApiOkResponse({ type: ScoreEntryView })
  @ApiSecured(400, 404, 409)
  recordResult(
    @Param() path: CompetitionPath,
    @Body() body: RecordCompetitionResultDto,
  ): Promise<ScoreEntryView> {
    return this.rpc.send(CompetitionsRpc.recordResult, {
      communityId: path.communityId,
      competitionId: path.competitionId,
      result: body,
    });
  }

  @Get(':competitionId/leaderboard')
  @ApiOperation({
    summary:
      'Buildings ranked by score (results plus participation or volunteer hours); with gridId, within that grid',
  })
  @ApiOkResponse({ type: CompetitionLeaderboardView })
  @ApiSecured(400, 404)
  leaderboard(
    @Param() path: CompetitionPath,
    @Query() query: CompetitionLeaderboardQueryDto,
  ): Promise<CompetitionLeaderboardView> {
    return this.rpc.send(CompetitionsRpc.leaderboard, {
      communityId: path.communityId,
      competitionId: path.competitionId,
      query,
    });
  }

  @Get(':competitionId/leaderboard/grids')
  @ApiOperation({ summary: "Grids ranked by the sum of their buildings' scores" })
  @ApiOkResponse({ type: CompetitionGridLeaderboardView })
  @ApiSecured(400, 404)
  gridLeaderboard(@Param() path: CompetitionPath): Promise<CompetitionGridLeaderboardView> {
    return this.rpc.send(CompetitionsRpc.gridLeaderboard, {
      communityId: path.communityId,
      competitionId: path.competitionId,
    });
  }

  @Roles(...ORGANISERS)
  @Post(':competitionId/bracket')
  @ApiOperation({
    summary:
      'Draw the knockout bracket once, with byes for the strongest seeds when the team count is not a power of two',
    description:
      'Seeds as given, else by the current leaderboard then building code. A second draw is 409 ALREADY_TAKEN.',
  })
  @ApiCreatedResponse({ type: BracketView })
  @ApiSecured(400, 404, 409)
  drawBracket(@Param() path: CompetitionPath, @Body() body: DrawBracketDto): Promise<BracketView> {
    return this.rpc.send(CompetitionsRpc.drawBracket, {
      communityId: path.communityId,
      competitionId: path.competitionId,
      draw: body,
    });
  }

  @Get(':competitionId/bracket')
  @ApiOperation({
    summary: 'The bracket: every round and match, winners advanced, the champion once the final is decided',
  })
  @ApiOkResponse({ type: BracketView })
  @ApiSecured(400, 404, 409)
  bracket(@Param() path: CompetitionPath): Promise<BracketView> {
    return this.rpc.send(CompetitionsRpc.getBracket, {
      communityId: path.communityId,
      competitionId: path.competitionId,
    });
  }

  @Roles(...ORGANISERS)
  @Post(':competitionId/bracket/matches/:matchKey/result')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record the winner of a ready match; publishes competition result recorded',
    description:
      'A match is decided once (409 ALREADY_TAKEN after); a match waiting for earlier rounds or a bye is 409 INVALID_TRANSITION.',
  })
  @ApiOkResponse({ type: BracketView })
  @ApiSecured(400, 404, 409)
  recordMatch(@Param() path: MatchPath, @Body() body: RecordMatchResultDto): Promise<BracketView> {
    return this.rpc.send(CompetitionsRpc.recordMatch, {
      communityId: path.communityId,
      competitionId: path.competitionId,
      matchKey: path.matchKey,
      result: body,
    });
  }
}
