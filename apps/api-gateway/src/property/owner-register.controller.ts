import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OwnerRegisterSummary, PropertyRpc, RegisteredUnitView, Role } from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath, UnitPath } from '../http/paths';

const READERS = [Role.CommunityStaff, Role.OwnersCommitteeMember, Role.DistrictAdmin];

@ApiTags('property')
@Controller('communities/:communityId/owner-register')
export class OwnerRegisterController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(...READERS)
  @Get('summary')
  @ApiOperation({
    summary: "Totals of property's copy of the owner register: units, owners (by headcount key) and exclusive area",
  })
  @ApiOkResponse({ type: OwnerRegisterSummary })
  @ApiSecured(400)
  summary(@Param() path: CommunityPath): Promise<OwnerRegisterSummary> {
    return this.rpc.send(PropertyRpc.ownerRegisterSummary, { communityId: path.communityId });
  }

  @Roles(...READERS)
  @Get('units/:unitId')
  @ApiOperation({ summary: 'One unit of the owner register: area, voter, headcount key and revision' })
  @ApiOkResponse({ type: RegisteredUnitView })
  @ApiSecured(400, 404)
  unit(@Param() path: UnitPath): Promise<RegisteredUnitView> {
    return this.rpc.send(PropertyRpc.getRegisteredUnit, { communityId: path.communityId, unitId: path.unitId });
  }
}
