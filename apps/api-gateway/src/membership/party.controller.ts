import { Body, Controller, Get, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  ClaimPostDto,
  LogServiceDto,
  MembershipPartyRpc,
  PartyMemberDto,
  PartyMemberPage,
  PartyMemberQueryDto,
  PartyMemberView,
  RegistrationCoverageView,
  RegistrationDecisionDto,
  Role,
  ServiceRecordView,
  ServiceReportQueryDto,
  ServiceReportView,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import type { FastifyReply } from 'fastify';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';
import { PersonPath } from './paths';

const MANAGERS = [Role.CommunityStaff, Role.DistrictAdmin];

@ApiTags('membership')
@Controller('communities/:communityId')
export class PartyController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(...MANAGERS, Role.GridWorker)
  @Get('party-members')
  @ApiOperation({
    summary: 'Party members on record, optionally by dual-registration status, a page at a time',
  })
  @ApiOkResponse({ type: PartyMemberPage })
  @ApiSecured(400)
  list(@Param() path: CommunityPath, @Query() query: PartyMemberQueryDto): Promise<PartyMemberPage> {
    return this.rpc.send(MembershipPartyRpc.list, { communityId: path.communityId, query });
  }

  @Roles(...MANAGERS)
  @Get('party-members/coverage')
  @ApiOperation({
    summary: 'Dual-registration coverage: members and registered members per building party group and grid',
  })
  @ApiOkResponse({ type: RegistrationCoverageView })
  @ApiSecured()
  coverage(@Param() path: CommunityPath): Promise<RegistrationCoverageView> {
    return this.rpc.send(MembershipPartyRpc.coverage, { communityId: path.communityId });
  }

  @Roles(...MANAGERS)
  @Put('party-members/:personId')
  @ApiOperation({
    summary: "Create or update a resident's party member record",
    description: "The building party group is the resident's building.",
  })
  @ApiOkResponse({ type: PartyMemberView })
  @ApiSecured(400, 404)
  save(@Param() path: PersonPath, @Body() body: PartyMemberDto): Promise<PartyMemberView> {
    return this.rpc.send(MembershipPartyRpc.save, {
      communityId: path.communityId,
      personId: path.personId,
      member: body,
    });
  }

  @Get('party-members/:personId')
  @ApiOperation({ summary: 'A party member record (the member, or staff)' })
  @ApiOkResponse({ type: PartyMemberView })
  @ApiSecured(400, 404)
  get(@Param() path: PersonPath): Promise<PartyMemberView> {
    return this.rpc.send(MembershipPartyRpc.get, { communityId: path.communityId, personId: path.personId });
  }

  @Post('party-members/:personId/dual-registration')
  @ApiOperation({
    summary: 'Request dual registration with the community (the member, or staff on their behalf)',
    description:
      'Only members in service (403 NOT_ELIGIBLE otherwise); a pending or approved registration is 409.',
  })
  @ApiCreatedResponse({ type: PartyMemberView })
  @ApiSecured(404, 409)
  request(@Param() path: PersonPath): Promise<PartyMemberView> {
    return this.rpc.send(MembershipPartyRpc.requestRegistration, {
      communityId: path.communityId,
      personId: path.personId,
    });
  }

  @Roles(...MANAGERS)
  @Post('party-members/:personId/dual-registration/decision')
  @ApiOperation({ summary: 'Approve or reject a requested dual registration (409 unless requested)' })
  @ApiCreatedResponse({ type: PartyMemberView })
  @ApiSecured(400, 404, 409)
  decide(@Param() path: PersonPath, @Body() body: RegistrationDecisionDto): Promise<PartyMemberView> {
    return this.rpc.send(MembershipPartyRpc.decideRegistration, {
      communityId: path.communityId,
      personId: path.personId,
      decision: body,
    });
  }

  @Post('party-members/:personId/posts')
  @ApiOperation({ summary: 'Claim a service post (approved members only: 403 NOT_ELIGIBLE otherwise)' })
  @ApiCreatedResponse({ type: PartyMemberView })
  @ApiSecured(400, 404)
  claim(@Param() path: PersonPath, @Body() body: ClaimPostDto): Promise<PartyMemberView> {
    return this.rpc.send(MembershipPartyRpc.claimPost, {
      communityId: path.communityId,
      personId: path.personId,
      claim: body,
    });
  }

  @Roles(...MANAGERS)
  @Post('party-members/:personId/services')
  @ApiOperation({
    summary: 'Log a service by hand (micro-wishes and volunteer hours are logged from events)',
  })
  @ApiCreatedResponse({ type: ServiceRecordView })
  @ApiSecured(400, 404)
  log(@Param() path: PersonPath, @Body() body: LogServiceDto): Promise<ServiceRecordView> {
    return this.rpc.send(MembershipPartyRpc.logService, {
      communityId: path.communityId,
      personId: path.personId,
      service: body,
    });
  }

  @Get('party-members/:personId/service-report')
  @ApiOperation({
    summary: "A member's services and hours in a period for their workplace organisation, as JSON or CSV",
    description:
      'The period defaults to the current calendar quarter (China Standard Time). `format=csv` returns text/csv.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: ServiceReportView })
  @ApiSecured(400, 404)
  async report(
    @Param() path: PersonPath,
    @Query() query: ServiceReportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ServiceReportView | string> {
    const request = { communityId: path.communityId, personId: path.personId, query };
    if (query.format !== 'csv') return this.rpc.send(MembershipPartyRpc.report, request);
    const { filename, csv } = await this.rpc.send(MembershipPartyRpc.reportCsv, request);
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`);
    return csv;
  }
}
