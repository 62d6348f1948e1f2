import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OpenSurveyDto, PropertyServiceRpc, Role, SurveyReceipt, SurveyResponseDto, SurveyResultsView, SurveyView } from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';
import { SurveyPath } from './service-paths';

const ORGANISERS = [Role.CommunityStaff, Role.DistrictAdmin, Role.OwnersCommitteeMember];

@ApiTags('property')
@Controller('communities/:communityId/satisfaction-surveys')
export class SatisfactionSurveysController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(...ORGANISERS)
  @Post()
  @ApiOperation({ summary: "Open a residents' satisfaction survey of the property company for a period", description: '409 DUPLICATE for a second survey of the same company and period.' })
  @ApiCreatedResponse({ type: SurveyView })
  @ApiSecured(400, 404, 409)
  open(@Param() path: CommunityPath, @Body() body: OpenSurveyDto): Promise<SurveyView> {
    return this.rpc.send(PropertyServiceRpc.openSurvey, { communityId: path.communityId, survey: body });
  }

  @Post(':surveyId/responses')
  @ApiOperation({
    summary: "Answer the survey (a resident, once), counted for the resident's building",
    description: '409 DUPLICATE for a second answer, 409 OUTSIDE_WINDOW once closed, 403 NOT_ELIGIBLE for a non-resident.',
  })
  @ApiCreatedResponse({ type: SurveyReceipt })
  @ApiSecured(400, 404, 409)
  respond(@Param() path: SurveyPath, @Body() body: SurveyResponseDto): Promise<SurveyReceipt> {
    return this.rpc.send(PropertyServiceRpc.respondToSurvey, { communityId: path.communityId, surveyId: path.surveyId, response: body });
  }

  @Roles(...ORGANISERS)
  @Post(':surveyId/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close the survey' })
  @ApiOkResponse({ type: SurveyView })
  @ApiSecured(404, 409)
  close(@Param() path: SurveyPath): Promise<SurveyView> {
    return this.rpc.send(PropertyServiceRpc.closeSurvey, { communityId: path.communityId, surveyId: path.surveyId });
  }

  @Roles(...ORGANISERS, Role.PropertyManager)
  @Get(':surveyId/results')
  @ApiOperation({ summary: 'Survey results overall and by building, least satisfied building first' })
  @ApiOkResponse({ type: SurveyResultsView })
  @ApiSecured(404)
  results(@Param() path: SurveyPath): Promise<SurveyResultsView> {
    return this.rpc.send(PropertyServiceRpc.surveyResults, { communityId: path.communityId, surveyId: path.surveyId });
  }
}
