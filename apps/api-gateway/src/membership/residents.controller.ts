import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MembershipRpc, PageQueryDto, RegisterResidentDto, ResidentPage, ResidentView, Role } from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath, ResidentPath } from '../http/paths';

const REGISTRARS = [Role.CommunityStaff, Role.GridWorker, Role.DistrictAdmin];

@ApiTags('membership')
@Controller('communities/:communityId/residents')
export class ResidentsController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(...REGISTRARS)
  @Post()
  @ApiOperation({
    summary: 'Register a resident into a unit, optionally with an app account',
    description: 'The unit is checked with the grid service; an unknown unit is 404 UNIT_NOT_FOUND and nothing is stored.',
  })
  @ApiCreatedResponse({ type: ResidentView })
  @ApiSecured(400, 404, 409)
  register(@Param() path: CommunityPath, @Body() body: RegisterResidentDto): Promise<ResidentView> {
    return this.rpc.send(MembershipRpc.registerResident, { communityId: path.communityId, resident: body });
  }

  @Roles(...REGISTRARS)
  @Get()
  @ApiOperation({ summary: 'Residents of the community, a page at a time' })
  @ApiOkResponse({ type: ResidentPage })
  @ApiSecured(400)
  list(@Param() path: CommunityPath, @Query() page: PageQueryDto): Promise<ResidentPage> {
    return this.rpc.send(MembershipRpc.listResidents, { communityId: path.communityId, page });
  }

  @Get(':personId')
  @ApiOperation({ summary: 'One resident (staff, or the resident themselves)' })
  @ApiOkResponse({ type: ResidentView })
  @ApiSecured(400, 404)
  get(@Param() path: ResidentPath): Promise<ResidentView> {
    return this.rpc.send(MembershipRpc.getResident, { communityId: path.communityId, personId: path.personId });
  }
}
