import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AnswerConsultationDto,
  AskConsultationDto,
  ConsultationDecisionDto,
  ConsultationListQueryDto,
  ConsultationPage,
  ConsultationRpc,
  ConsultationView,
  Role,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';
import { ConsultationPath } from './service-paths';

const ORGANISERS = [Role.OwnersCommitteeMember, Role.CommunityStaff, Role.DistrictAdmin];

@ApiTags('property')
@Controller('communities/:communityId/consultations')
export class ConsultationsController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(...ORGANISERS)
  @Post()
  @ApiOperation({
    summary: 'Ask a community partner for an expert opinion',
    description:
      "Only a person with a partner profile in this community (404 PARTNER_NOT_FOUND), in one of the domains they declared (422 PARTNER_DOMAIN_MISMATCH), while their consultations waiting for an answer are fewer than the capacity they stated (`maxOpenConsultations`); one more is 409 ALREADY_TAKEN, and of two asked at once for the last place exactly one gets it. Answering or withdrawing a question frees its place.",
  })
  @ApiCreatedResponse({ type: ConsultationView })
  @ApiSecured(400, 404, 409, 422)
  ask(@Param() path: CommunityPath, @Body() body: AskConsultationDto): Promise<ConsultationView> {
    return this.rpc.send(ConsultationRpc.ask, { communityId: path.communityId, consultation: body });
  }

  @Get()
  @ApiOperation({ summary: 'Consultations, a page at a time: all for the committee, a partner the ones addressed to them' })
  @ApiOkResponse({ type: ConsultationPage })
  @ApiSecured(400)
  list(@Param() path: CommunityPath, @Query() query: ConsultationListQueryDto): Promise<ConsultationPage> {
    return this.rpc.send(ConsultationRpc.list, { communityId: path.communityId, query });
  }

  @Get(':consultationId')
  @ApiOperation({ summary: 'One consultation with the answer and the decision' })
  @ApiOkResponse({ type: ConsultationView })
  @ApiSecured(400, 404)
  get(@Param() path: ConsultationPath): Promise<ConsultationView> {
    return this.rpc.send(ConsultationRpc.get, { communityId: path.communityId, consultationId: path.consultationId });
  }

  @Post(':consultationId/answer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Answer the question (the partner asked only)', description: '409 INVALID_TRANSITION unless waiting for an answer.' })
  @ApiOkResponse({ type: ConsultationView })
  @ApiSecured(400, 404, 409)
  answer(@Param() path: ConsultationPath, @Body() body: AnswerConsultationDto): Promise<ConsultationView> {
    return this.rpc.send(ConsultationRpc.answer, { communityId: path.communityId, consultationId: path.consultationId, answer: body });
  }

  @Roles(...ORGANISERS)
  @Post(':consultationId/decision')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record whether the committee adopts the advice, and why',
    description: 'Completes the consultation and publishes evt.property.consultation.completed. 409 INVALID_TRANSITION unless answered.',
  })
  @ApiOkResponse({ type: ConsultationView })
  @ApiSecured(400, 404, 409)
  decide(@Param() path: ConsultationPath, @Body() body: ConsultationDecisionDto): Promise<ConsultationView> {
    return this.rpc.send(ConsultationRpc.decide, { communityId: path.communityId, consultationId: path.consultationId, decision: body });
  }

  @Roles(...ORGANISERS)
  @Post(':consultationId/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a question not yet answered' })
  @ApiOkResponse({ type: ConsultationView })
  @ApiSecured(404, 409)
  withdraw(@Param() path: ConsultationPath): Promise<ConsultationView> {
    return this.rpc.send(ConsultationRpc.withdraw, { communityId: path.communityId, consultationId: path.consultationId });
  }
}
