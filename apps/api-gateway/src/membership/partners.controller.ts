import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  MembershipPartnerRpc,
  PageQueryDto,
  PartnerConsultationsView,
  PartnerPage,
  PartnerProfileDto,
  PartnerQueryDto,
  PartnerView,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';
import { PersonPath } from './paths';

@ApiTags('membership')
@Controller('communities/:communityId')
export class PartnersController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('partners')
  @ApiOperation({
    summary: 'Community partners (社区合伙人), optionally only those advising in one domain, a page at a time',
  })
  @ApiOkResponse({ type: PartnerPage })
  @ApiSecured(400)
  list(@Param() path: CommunityPath, @Query() query: PartnerQueryDto): Promise<PartnerPage> {
    return this.rpc.send(MembershipPartnerRpc.list, { communityId: path.communityId, query });
  }

  @Put('partners/:personId')
  @ApiOperation({
    summary: "Save a resident's community partner profile: domains, qualifications, availability, capacity",
    description: 'The partner themself or community staff. Saving again replaces the profile.',
  })
  @ApiOkResponse({ type: PartnerView })
  @ApiSecured(400, 404)
  save(@Param() path: PersonPath, @Body() body: PartnerProfileDto): Promise<PartnerView> {
    return this.rpc.send(MembershipPartnerRpc.save, {
      communityId: path.communityId,
      personId: path.personId,
      profile: body,
    });
  }

  @Get('partners/:personId')
  @ApiOperation({ summary: "A community partner's profile" })
  @ApiOkResponse({ type: PartnerView })
  @ApiSecured(400, 404)
  get(@Param() path: PersonPath): Promise<PartnerView> {
    return this.rpc.send(MembershipPartnerRpc.get, { communityId: path.communityId, personId: path.personId });
  }

  @Get('partners/:personId/consultations')
  @ApiOperation({
    summary: "A partner's completed consultations with counts, from property's evt.property.consultation.completed",
    description: "For the partner, community staff and the owners' committee.",
  })
  @ApiOkResponse({ type: PartnerConsultationsView })
  @ApiSecured(400)
  consultations(@Param() path: PersonPath, @Query() page: PageQueryDto): Promise<PartnerConsultationsView> {
    return this.rpc.send(MembershipPartnerRpc.consultations, {
      communityId: path.communityId,
      personId: path.personId,
      page,
    });
  }
}
