import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HouseholdView,
  MembershipRpc,
  MoveOutDto,
  MoveResidentDto,
  RegisterResidentDto,
  ResidenceHistoryView,
  ResidentPage,
  ResidentQueryDto,
  ResidentView,
  Role,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath, ResidentPath, UnitPath } from '../http/paths';

const REGISTRARS = [Role.CommunityStaff, Role.GridWorker, Role.DistrictAdmin];
const NUMBERS =
  'Phone and ID numbers are masked for every reader, staff included; `POST .../residents/{personId}/reveal` shows them, audited.';

@ApiTags('membership')
@Controller('communities/:communityId/residents')
export class ResidentsController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(...REGISTRARS)
  @Post()
  @ApiOperation({
    summary: 'Register a resident into a unit, optionally with an app account',
    description:
      'The unit is checked with the grid service; an unknown unit is 404 UNIT_NOT_FOUND and nothing is stored. ' +
      'The ID number must carry a valid birth date and check digit (GB 11643-1999), else 400; one already ' +
      'registered for another resident of the community is 409 ID_NUMBER_TAKEN. ' +
      'The reply shows the phone and ID numbers masked.',
  })
  @ApiCreatedResponse({ type: ResidentView })
  @ApiSecured(400, 404, 409)
  register(@Param() path: CommunityPath, @Body() body: RegisterResidentDto): Promise<ResidentView> {
    return this.rpc.send(MembershipRpc.registerResident, { communityId: path.communityId, resident: body });
  }

  @Roles(...REGISTRARS)
  @Get()
  @ApiOperation({
    summary: 'Residents of the community a page at a time, searchable by name prefix and by building',
    description: `Without filters, every resident in registration order. \`buildingId\` finds who lives there today. ${NUMBERS}`,
  })
  @ApiOkResponse({ type: ResidentPage })
  @ApiSecured(400)
  list(@Param() path: CommunityPath, @Query() query: ResidentQueryDto): Promise<ResidentPage> {
    return this.rpc.send(MembershipRpc.listResidents, { communityId: path.communityId, page: query });
  }

  @Get(':personId')
  @ApiOperation({ summary: 'One resident (staff, or the resident themselves)', description: NUMBERS })
  @ApiOkResponse({ type: ResidentView })
  @ApiSecured(400, 404)
  get(@Param() path: ResidentPath): Promise<ResidentView> {
    return this.rpc.send(MembershipRpc.getResident, { communityId: path.communityId, personId: path.personId });
  }

  @Roles(...REGISTRARS)
  @Post(':personId/moves')
  @ApiOperation({
    summary: 'Move a resident into another unit; the current residence ends, history is kept',
    description:
      'Publishes `evt.membership.resident.moved`. A move dated before the current residence began is 409 ' +
      'INVALID_TRANSITION; a stale `expectedRevision` is 409 CONFLICT. The reply shows the numbers masked.',
  })
  @ApiCreatedResponse({ type: ResidentView })
  @ApiSecured(400, 404, 409)
  move(@Param() path: ResidentPath, @Body() body: MoveResidentDto): Promise<ResidentView> {
    return this.rpc.send(MembershipRpc.moveResident, { communityId: path.communityId, personId: path.personId, move: body });
  }

  @Roles(...REGISTRARS)
  @Post(':personId/move-out')
  @ApiOperation({
    summary: 'Record that a resident moved out of the community; history is kept',
    description: 'Publishes `evt.membership.resident.moved` with no destination. Moving out twice is 409 INVALID_TRANSITION.',
  })
  @ApiCreatedResponse({ type: ResidentView })
  @ApiSecured(400, 404, 409)
  moveOut(@Param() path: ResidentPath, @Body() body: MoveOutDto): Promise<ResidentView> {
    return this.rpc.send(MembershipRpc.moveOutResident, {
      communityId: path.communityId,
      personId: path.personId,
      moveOut: body,
    });
  }

  @Get(':personId/residences')
  @ApiOperation({ summary: "A resident's residence history, oldest first (staff, or the resident themselves)" })
  @ApiOkResponse({ type: ResidenceHistoryView })
  @ApiSecured(400, 404)
  history(@Param() path: ResidentPath): Promise<ResidenceHistoryView> {
    return this.rpc.send(MembershipRpc.residenceHistory, { communityId: path.communityId, personId: path.personId });
  }
}

@ApiTags('membership')
@Controller('communities/:communityId/units/:unitId/household')
export class HouseholdsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiOperation({
    summary: 'Who lives in a unit today (staff, or someone living there)',
    description: `Owners first, then tenants, then family members. ${NUMBERS}`,
  })
  @ApiOkResponse({ type: HouseholdView })
  @ApiSecured(400, 404)
  get(@Param() path: UnitPath): Promise<HouseholdView> {
    return this.rpc.send(MembershipRpc.getHousehold, { communityId: path.communityId, unitId: path.unitId });
  }
}
