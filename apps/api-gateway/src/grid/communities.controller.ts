import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import {
  AssignStaffDto,
  BuildingMoveView,
  BulkCreateBuildingsDto,
  BulkCreateBuildingsResult,
  CommunityPage,
  CommunityView,
  CreateAreaDto,
  CreateCommunityDto,
  CreateGridDto,
  DomainException,
  EndStaffAssignmentDto,
  ErrorCode,
  GridHierarchyRpc,
  GridRpc,
  HIERARCHY_IMPORT_MAX_CSV_CHARS,
  HierarchyView,
  ImportCsvDto,
  ImportReport,
  MoveBuildingDto,
  NodeView,
  PageQueryDto,
  ResponsibleQueryDto,
  ResponsibleView,
  Role,
  StaffListQueryDto,
  StaffPage,
  StaffView,
  UnitPage,
  UnitView,
} from '@cg/contracts';
import { RpcClient, validated } from '@cg/messaging';
import { IsIn, IsMongoId, IsOptional } from 'class-validator';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { BuildingPath, CommunityPath, UnitPath } from '../http/paths';

const MANAGERS = [Role.CommunityStaff, Role.DistrictAdmin];
/** 286 buildings and 12,500 units take seconds, more on the local H2-backed database. */
const IMPORT_TIMEOUT_MS = 5 * 60 * 1000;

export class StaffAssignmentPath extends CommunityPath {
  @ApiProperty({ description: 'Staff assignment id' })
  @IsMongoId()
  assignmentId: string;
}

export class ImportQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'For a text/csv body: validate and report only' })
  @IsOptional()
  @IsIn(['true', 'false'])
  dryRun?: 'true' | 'false';
}

@ApiTags('grid')
@ApiExtraModels(ImportCsvDto)
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
  @ApiOperation({
    summary: 'Assign a person to a position at a grid, area, community or building, from today or from a given date',
    description:
      'Building leaders and building party group leaders are held at a building, the other positions at a grid, ' +
      'a residential area or the community; a department officer names the department. `until` may plan the end.',
  })
  @ApiCreatedResponse({ type: StaffView })
  @ApiSecured(400, 404)
  assignStaff(@Param() path: CommunityPath, @Body() body: AssignStaffDto): Promise<StaffView> {
    return this.rpc.send(GridRpc.assignStaff, { communityId: path.communityId, staff: body });
  }

  @Roles(...MANAGERS, Role.GridWorker)
  @Get(':communityId/staff')
  @ApiOperation({
    summary: 'Staff assignments in force now, or with scope=history every assignment ever made, a page at a time',
  })
  @ApiOkResponse({ type: StaffPage })
  @ApiSecured(400, 404)
  listStaff(@Param() path: CommunityPath, @Query() query: StaffListQueryDto): Promise<StaffPage> {
    return this.rpc.send(GridHierarchyRpc.listStaff, { communityId: path.communityId, query });
  }

  @Roles(...MANAGERS)
  @Post(':communityId/staff/:assignmentId/end')
  @HttpCode(200)
  @ApiOperation({
    summary: 'End a staff assignment now or at a given date; the assignment stays in the history',
    description: 'Ending it twice answers 409 INVALID_TRANSITION; of two people ending it at once exactly one succeeds.',
  })
  @ApiOkResponse({ type: StaffView })
  @ApiSecured(400, 404, 409)
  endStaff(@Param() path: StaffAssignmentPath, @Body() body: EndStaffAssignmentDto): Promise<StaffView> {
    return this.rpc.send(GridHierarchyRpc.endStaff, {
      communityId: path.communityId,
      assignmentId: path.assignmentId,
      end: body,
    });
  }

  @Get(':communityId/buildings/:buildingId/responsible')
  @ApiOperation({
    summary: 'Who is responsible for a building today (or at `at`)',
    description:
      'The building leader and party group leader, and the staff of its grid and residential area in force at ' +
      'that instant, ordered by position: grid head, executive deputy, full-time deputy, grid staff, department ' +
      'officers, building leader, building party group leader.',
  })
  @ApiOkResponse({ type: ResponsibleView })
  @ApiSecured(400, 404)
  responsible(@Param() path: BuildingPath, @Query() query: ResponsibleQueryDto): Promise<ResponsibleView> {
    return this.rpc.send(GridHierarchyRpc.responsible, {
      communityId: path.communityId,
      buildingId: path.buildingId,
      query,
    });
  }

  @Roles(...MANAGERS)
  @Post(':communityId/imports')
  @HttpCode(200)
  @ApiOperation({
    summary: "Import a community's residential areas, grids, buildings and units from a CSV file, all or nothing",
    description:
      'Send the file as text/csv (`?dryRun=true` to only check it) or as JSON {"csv": "...", "dryRun": false}. ' +
      'One row per building: area_code, grid_code, building_code, floors, units_per_floor (optional area_name, ' +
      'grid_name, building_name); units are numbered <floor><two-digit door>. Or one row per unit: area_code, ' +
      'grid_code, building_code, unit_code, floor. Areas and grids named and missing are created. Every row is ' +
      'checked first; any bad row answers 400 IMPORT_REJECTED with `errors` listing line, field and reason, and ' +
      'nothing is written. Buildings already there as in the file are left alone, so importing a file again ' +
      'changes nothing; an import never changes or moves an existing building. While another import of the ' +
      'same community runs, 409 CONFLICT.',
  })
  @ApiConsumes('text/csv', 'application/json')
  @ApiBody({ schema: { oneOf: [{ type: 'string', description: 'The CSV text' }, { $ref: getSchemaPath(ImportCsvDto) }] } })
  @ApiOkResponse({ type: ImportReport })
  @ApiSecured(400, 404, 409, 413)
  importHierarchy(@Param() path: CommunityPath, @Query() query: ImportQuery, @Body() body: unknown): Promise<ImportReport> {
    const file =
      typeof body === 'string' ? { csv: body, dryRun: query.dryRun === 'true' } : validated(ImportCsvDto, body);
    if (file.csv.length > HIERARCHY_IMPORT_MAX_CSV_CHARS) {
      throw new DomainException(
        ErrorCode.PAYLOAD_TOO_LARGE,
        `A hierarchy file has at most ${HIERARCHY_IMPORT_MAX_CSV_CHARS} characters; split it by residential area`,
      );
    }
    return this.rpc.send(
      GridHierarchyRpc.importCsv,
      { communityId: path.communityId, import: file },
      { timeoutMs: IMPORT_TIMEOUT_MS },
    );
  }

  @Roles(...MANAGERS)
  @Post(':communityId/buildings/:buildingId/move')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move a building, with its units and residents, to another grid',
    description:
      'Cases filed before the move stay with the grid that handled them; new cases go to the new grid. ' +
      'Publishes evt.grid.building.moved. Of two moves of one building at once one wins; the other answers 409 ' +
      '(INVALID_TRANSITION), and a move while the last one is still being finished 409 CONFLICT.',
  })
  @ApiOkResponse({ type: BuildingMoveView })
  @ApiSecured(400, 404, 409)
  moveBuilding(@Param() path: BuildingPath, @Body() body: MoveBuildingDto): Promise<BuildingMoveView> {
    return this.rpc.send(
      GridHierarchyRpc.moveBuilding,
      { communityId: path.communityId, buildingId: path.buildingId, move: body },
      { timeoutMs: 30_000 },
    );
  }
}
