import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  ArbitrateCaseDto,
  AssignCaseDto,
  CaseListQueryDto,
  CasePage,
  CaseStatisticsQueryDto,
  CaseStatisticsView,
  CaseStepDto,
  CaseTrendsQueryDto,
  CaseTrendsView,
  CaseView,
  DecideExtensionDto,
  FileCaseDto,
  GridCaseRpc,
  RateCaseDto,
  RequestExtensionDto,
  ReturnCaseDto,
  Role,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { IsMongoId } from 'class-validator';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';

export class CasePath extends CommunityPath {
  @ApiProperty({ description: 'Case id' })
  @IsMongoId()
  caseId: string;
}

const FILERS = [
  Role.Resident,
  Role.Owner,
  Role.BuildingLeader,
  Role.GridWorker,
  Role.CommunityStaff,
  Role.DistrictAdmin,
];
const HANDLERS = [Role.GridWorker, Role.CommunityStaff, Role.DistrictAdmin];
const MANAGERS = [Role.CommunityStaff, Role.DistrictAdmin];

@ApiTags('grid')
@Controller('communities/:communityId')
export class CasesController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(...FILERS)
  @Post('cases')
  @ApiOperation({
    summary: 'File a case on a unit, a building or a common area next to a building',
    description:
      'The grid that handles it is found from the location. Deadlines follow the category, the urgency and the district calendar.',
  })
  @ApiCreatedResponse({ type: CaseView })
  @ApiSecured(400, 404)
  file(@Param() path: CommunityPath, @Body() body: FileCaseDto): Promise<CaseView> {
    return this.rpc.send(GridCaseRpc.file, { communityId: path.communityId, case: body });
  }

  @Get('cases')
  @ApiOperation({
    summary: 'Cases of the community (staff, with filters) or the ones the caller filed (everyone else)',
  })
  @ApiOkResponse({ type: CasePage })
  @ApiSecured(400)
  list(@Param() path: CommunityPath, @Query() query: CaseListQueryDto): Promise<CasePage> {
    return this.rpc.send(GridCaseRpc.list, { communityId: path.communityId, query });
  }

  @Roles(...HANDLERS)
  @Get('cases/statistics')
  @ApiOperation({
    summary: 'Case statistics of the community, a residential area or a grid for a period',
    description:
      'Counts by category and status, on-time rate, average hours to resolve, satisfaction and reopened rates.',
  })
  @ApiOkResponse({ type: CaseStatisticsView })
  @ApiSecured(400)
  statistics(
    @Param() path: CommunityPath,
    @Query() query: CaseStatisticsQueryDto,
  ): Promise<CaseStatisticsView> {
    return this.rpc.send(GridCaseRpc.statistics, { communityId: path.communityId, query });
  }

  @Roles(...HANDLERS)
  @Get('cases/trends')
  @ApiOperation({
    summary: 'Monthly or weekly series of the community\'s cases, optionally one per category, status, grid or building',
    description:
      'Per period (China Standard Time): cases filed and closed, median and 90th percentile hours to sign-for ' +
      '(of those filed) and to close (of those closed), and the satisfied share of the closed ones rated. ' +
      'By default the last 12 months (or weeks) up to now.',
  })
  @ApiOkResponse({ type: CaseTrendsView })
  @ApiSecured(400)
  trends(@Param() path: CommunityPath, @Query() query: CaseTrendsQueryDto): Promise<CaseTrendsView> {
    return this.rpc.send(GridCaseRpc.trends, { communityId: path.communityId, query });
  }

  @Get('cases/:caseId')
  @ApiOperation({ summary: 'One case with its full history' })
  @ApiOkResponse({ type: CaseView })
  @ApiSecured(400, 404)
  get(@Param() path: CasePath): Promise<CaseView> {
    return this.rpc.send(GridCaseRpc.get, { communityId: path.communityId, caseId: path.caseId });
  }

  @Roles(...HANDLERS)
  @Post('cases/:caseId/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'The grid signs for a reported case' })
  @ApiOkResponse({ type: CaseView })
  @ApiSecured(400, 404, 409)
  accept(@Param() path: CasePath, @Body() body: CaseStepDto): Promise<CaseView> {
    return this.rpc.send(GridCaseRpc.accept, { ...this.on(path), step: body });
  }

  @Roles(...HANDLERS)
  @Post('cases/:caseId/return')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The grid returns a case that is not theirs, with a reason; the community arbitrates',
  })
  @ApiOkResponse({ type: CaseView })
  @ApiSecured(400, 404, 409)
  returnCase(@Param() path: CasePath, @Body() body: ReturnCaseDto): Promise<CaseView> {
    return this.rpc.send(GridCaseRpc.return, { ...this.on(path), step: body });
  }

  @Roles(...MANAGERS)
  @Post('cases/:caseId/arbitrate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The community decides which grid handles a returned case; it cannot be returned again',
  })
  @ApiOkResponse({ type: CaseView })
  @ApiSecured(400, 404, 409)
  arbitrate(@Param() path: CasePath, @Body() body: ArbitrateCaseDto): Promise<CaseView> {
    return this.rpc.send(GridCaseRpc.arbitrate, { ...this.on(path), step: body });
  }

  @Roles(...HANDLERS)
  @Post('cases/:caseId/assign')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Assign an accepted case to grid staff, a party member, a volunteer or a building leader',
  })
  @ApiOkResponse({ type: CaseView })
  @ApiSecured(400, 404, 409)
  assign(@Param() path: CasePath, @Body() body: AssignCaseDto): Promise<CaseView> {
    return this.rpc.send(GridCaseRpc.assign, { ...this.on(path), step: body });
  }

  @Post('cases/:caseId/start')
  @HttpCode(200)
  @ApiOperation({ summary: 'The assignee (or grid staff) starts handling the case' })
  @ApiOkResponse({ type: CaseView })
  @ApiSecured(400, 404, 409)
  start(@Param() path: CasePath, @Body() body: CaseStepDto): Promise<CaseView> {
    return this.rpc.send(GridCaseRpc.start, { ...this.on(path), step: body });
  }

  @Post('cases/:caseId/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'The assignee (or grid staff) reports the case resolved' })
  @ApiOkResponse({ type: CaseView })
  @ApiSecured(400, 404, 409)
  resolve(@Param() path: CasePath, @Body() body: CaseStepDto): Promise<CaseView> {
    return this.rpc.send(GridCaseRpc.resolve, { ...this.on(path), step: body });
  }

  @Post('cases/:caseId/rate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The reporter rates the resolution and closes the case',
    description: 'A first dissatisfied rating reopens the case for re-handling; a second one closes it.',
  })
  @ApiOkResponse({ type: CaseView })
  @ApiSecured(400, 404, 409)
  rate(@Param() path: CasePath, @Body() body: RateCaseDto): Promise<CaseView> {
    return this.rpc.send(GridCaseRpc.rate, { ...this.on(path), step: body });
  }

  @Roles(...HANDLERS)
  @Post('cases/:caseId/extensions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Ask the community for more working days, before the deadline' })
  @ApiOkResponse({ type: CaseView })
  @ApiSecured(400, 404, 409)
  requestExtension(@Param() path: CasePath, @Body() body: RequestExtensionDto): Promise<CaseView> {
    return this.rpc.send(GridCaseRpc.requestExtension, { ...this.on(path), step: body });
  }

  @Roles(...MANAGERS)
  @Post('cases/:caseId/extensions/decision')
  @HttpCode(200)
  @ApiOperation({ summary: 'The community approves or rejects the pending extension request' })
  @ApiOkResponse({ type: CaseView })
  @ApiSecured(400, 404, 409)
  decideExtension(@Param() path: CasePath, @Body() body: DecideExtensionDto): Promise<CaseView> {
    return this.rpc.send(GridCaseRpc.decideExtension, { ...this.on(path), step: body });
  }

  private on(path: CasePath) {
    return { communityId: path.communityId, caseId: path.caseId };
  }
}
