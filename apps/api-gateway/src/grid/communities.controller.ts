import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AssignStaffDto,
  BulkCreateBuildingsDto,
  BulkCreateBuildingsResult,
  CommunityPage,
  CommunityView,
  CreateAreaDto,
  CreateCommunityDto,
  CreateGridDto,
  GridRpc,
  HierarchyView,
  NodeView,
  PageQueryDto,
  Role,
  StaffView,
  UnitPage,
  UnitView,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { BuildingPath, CommunityPath, UnitPath } from '../http/paths';

const MANAGERS = [Role.CommunityStaff, Role.DistrictAdmin];

@ApiTags('grid')
@Controller('communities')
export class CommunitiesController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(Role.DistrictAdmin)
  @Post()
  @ApiOperation({ summary: 'Create a community in a district and street' })
  @ApiCreatedResponse({ type: CommunityView })
  @ApiSecured(400, 409)
  createCommunity(@Body() body: CreateCommunityDto): Promise<CommunityView> {
    return this.rpc.send(GridRpc.createCommunity, body);
  }

  @Roles(Role.DistrictAdmin)
  @Get()
  @ApiOperation({ summary: 'Communities of the deployment, a page at a time (district administrators)' })
  @ApiOkResponse({ type: CommunityPage })
  @ApiSecured(400)
  listCommunities(@Query() page: PageQueryDto): Promise<CommunityPage> {
    return this.rpc.send(GridRpc.listCommunities, { page });
  }

  @Get(':communityId/hierarchy')
  @ApiOperation({ summary: 'The community with its residential areas, grids and buildings (units are listed per building)' })
  @ApiOkResponse({ type: HierarchyView })
  @ApiSecured(400, 404)
  hierarchy(@Param() path: CommunityPath): Promise<HierarchyView> {
    return this.rpc.send(GridRpc.getHierarchy, { communityId: path.communityId });
  }

  @Roles(...MANAGERS)
  @Post(':communityId/areas')
  @ApiOperation({ summary: 'Add a residential area' })
  @ApiCreatedResponse({ type: NodeView })
  @ApiSecured(400, 404, 409)
  createArea(@Param() path: CommunityPath, @Body() body: CreateAreaDto): Promise<NodeView> {
    return this.rpc.send(GridRpc.createArea, { communityId: path.communityId, area: body });
  }

  @Roles(...MANAGERS)
  @Post(':communityId/grids')
  @ApiOperation({ summary: 'Add a management grid to a residential area' })
  @ApiCreatedResponse({ type: NodeView })
  @ApiSecured(400, 404, 409)
  createGrid(@Param() path: CommunityPath, @Body() body: CreateGridDto): Promise<NodeView> {
    return this.rpc.send(GridRpc.createGrid, { communityId: path.communityId, grid: body });
  }

  @Roles(...MANAGERS)
  @Post(':communityId/buildings/bulk')
  @ApiOperation({
    summary: 'Create up to 300 buildings of a grid with their units, all or nothing',
    description: 'Units are numbered <floor><two-digit door>. Any taken or repeated code rejects the whole batch.',
  })
  @ApiCreatedResponse({ type: BulkCreateBuildingsResult })
  @ApiSecured(400, 404, 409)
  bulkCreateBuildings(@Param() path: CommunityPath, @Body() body: BulkCreateBuildingsDto): Promise<BulkCreateBuildingsResult> {
    return this.rpc.send(GridRpc.bulkCreateBuildings, { communityId: path.communityId, bulk: body }, { timeoutMs: 30_000 });
  }

  @Get(':communityId/buildings/:buildingId/units')
  @ApiOperation({ summary: 'Units of a building, a page at a time' })
  @ApiOkResponse({ type: UnitPage })
  @ApiSecured(400, 404)
  units(@Param() path: BuildingPath, @Query() page: PageQueryDto): Promise<UnitPage> {
    return this.rpc.send(GridRpc.listUnits, { communityId: path.communityId, buildingId: path.buildingId, page });
  }

  @Get(':communityId/units/:unitId')
  @ApiOperation({ summary: 'One unit with its building, grid and residential area' })
  @ApiOkResponse({ type: UnitView })
  @ApiSecured(400, 404)
  unit(@Param() path: UnitPath): Promise<UnitView> {
    return this.rpc.send(GridRpc.getUnit, { communityId: path.communityId, unitId: path.unitId });
  }

  @Roles(...MANAGERS)
  @Post(':communityId/staff')
  @ApiOperation({ summary: 'Assign a person to a position at a grid, area, community or building, from today' })
  @ApiCreatedResponse({ type: StaffView })
  @ApiSecured(400, 404)
  assignStaff(@Param() path: CommunityPath, @Body() body: AssignStaffDto): Promise<StaffView> {
    return this.rpc.send(GridRpc.assignStaff, { communityId: path.communityId, staff: body });
  }
}
