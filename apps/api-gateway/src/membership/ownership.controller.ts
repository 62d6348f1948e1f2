import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  MembershipOwnershipRpc,
  OWNER_REGISTER_READERS,
  OwnerCountsView,
  OwnerRegisterQueryDto,
  OwnershipPage,
  OwnershipView,
  RecordOwnershipDto,
  Role,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';
import { OwnershipUnitPath } from './paths';

@ApiTags('membership')
@Controller('communities/:communityId')
export class OwnershipController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(Role.CommunityStaff, Role.DistrictAdmin)
  @Put('units/:unitId/ownership')
  @ApiOperation({
    summary: "Record a unit's owners of record, exclusive area and designated voter",
    description:
      'Replaces the current record and publishes evt.membership.ownership.recorded with the full state and the next ' +
      'revision. The area is taken from the register, else the survey, else the contract. Co-owners need a ' +
      'voterPersonId. An unchanged record is returned as it is, without a new revision.',
  })
  @ApiOkResponse({ type: OwnershipView })
  @ApiSecured(400, 404, 409)
  record(@Param() path: OwnershipUnitPath, @Body() body: RecordOwnershipDto): Promise<OwnershipView> {
    return this.rpc.send(MembershipOwnershipRpc.record, {
      communityId: path.communityId,
      unitId: path.unitId,
      ownership: body,
    });
  }

  @Roles(...OWNER_REGISTER_READERS)
  @Get('units/:unitId/ownership')
  @ApiOperation({ summary: "A unit's owners of record" })
  @ApiOkResponse({ type: OwnershipView })
  @ApiSecured(400, 404)
  get(@Param() path: OwnershipUnitPath): Promise<OwnershipView> {
    return this.rpc.send(MembershipOwnershipRpc.get, { communityId: path.communityId, unitId: path.unitId });
  }

  @Roles(...OWNER_REGISTER_READERS)
  @Get('owners')
  @ApiOperation({ summary: 'The owner register of the community (or of one building), a page at a time' })
  @ApiOkResponse({ type: OwnershipPage })
  @ApiSecured(400)
  register(@Param() path: CommunityPath, @Query() query: OwnerRegisterQueryDto): Promise<OwnershipPage> {
    return this.rpc.send(MembershipOwnershipRpc.register, { communityId: path.communityId, query });
  }

  @Roles(...OWNER_REGISTER_READERS)
  @Get('owners/counts')
  @ApiOperation({
    summary: 'Units, owners and total exclusive area, counted per Civil Code art. 278',
    description:
      "One buyer of several units counts once; the developer's unsold units count once together; area is exact.",
  })
  @ApiOkResponse({ type: OwnerCountsView })
  @ApiSecured()
  counts(@Param() path: CommunityPath): Promise<OwnerCountsView> {
    // Reads the whole register of the community: allowed longer than a point read.
    return this.rpc.send(MembershipOwnershipRpc.counts, { communityId: path.communityId }, { timeoutMs: 30_000 });
  }
}
