import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsISO8601,
  IsInt,
  IsMongoId,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../common/pagination';

const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const CODE_HINT = '1-32 letters, digits, "-" or "_"';

export enum NodeKind {
  Community = 'community',
  Area = 'area',
  Grid = 'grid',
  Building = 'building',
  Unit = 'unit',
}

export enum GridPosition {
  GridHead = 'grid_head',
  ExecutiveDeputy = 'executive_deputy',
  FullTimeDeputy = 'full_time_deputy',
  GridStaff = 'grid_staff',
  DepartmentOfficer = 'department_officer',
  BuildingLeader = 'building_leader',
  BuildingPartyGroupLeader = 'building_party_group_leader',
}

export class CreateCommunityDto {
  @ApiProperty({ example: 'K', description: CODE_HINT })
  @Matches(CODE, { message: `code must be ${CODE_HINT}` })
  code: string;

  @ApiProperty({ example: 'Kangjian Community' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: 'Xuhui District' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  district: string;

  @ApiProperty({ example: 'Kangjian Street' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  street: string;
}

export class CreateAreaDto {
  @ApiProperty({ example: 'A1', description: CODE_HINT })
  @Matches(CODE, { message: `code must be ${CODE_HINT}` })
  code: string;

  @ApiProperty({ example: 'Residential area 1' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;
}

export class CreateGridDto {
  @ApiProperty({ description: 'Residential area the grid belongs to' })
  @IsMongoId()
  areaId: string;

  @ApiProperty({ example: 'G01', description: CODE_HINT })
  @Matches(CODE, { message: `code must be ${CODE_HINT}` })
  code: string;

  @ApiProperty({ example: 'Grid 1' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;
}

export class BuildingSpecDto {
  @ApiProperty({ example: 'B001', description: CODE_HINT })
  @Matches(CODE, { message: `code must be ${CODE_HINT}` })
  code: string;

  @ApiPropertyOptional({ example: 'Building 1' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;

  @ApiProperty({ example: 6, minimum: 1, maximum: 80 })
  @IsInt()
  @Min(1)
  @Max(80)
  floors: number;

  @ApiProperty({ example: 4, minimum: 1, maximum: 30, description: 'Units are created as <floor><nn>, e.g. 101..604' })
  @IsInt()
  @Min(1)
  @Max(30)
  unitsPerFloor: number;
}

export class BulkCreateBuildingsDto {
  @ApiProperty({ description: 'Grid the buildings belong to' })
  @IsMongoId()
  gridId: string;

  @ApiProperty({ type: [BuildingSpecDto], maxItems: 300 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(300)
  @ValidateNested({ each: true })
  @Type(() => BuildingSpecDto)
  buildings: BuildingSpecDto[];
}

export class AssignStaffDto {
  @ApiProperty({ description: 'The grid, area, community or building the person is assigned to' })
  @IsMongoId()
  nodeId: string;

  @ApiProperty({ enum: GridPosition })
  @IsEnum(GridPosition)
  position: GridPosition;

  @ApiProperty({ example: 'Wang Fang' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ description: 'Person id in membership, when the staff member has one' })
  @IsOptional()
  @IsMongoId()
  personId?: string;

  @ApiPropertyOptional({
    description: "The staff member's app account: with it (or the person id) they handle the cases of the grid they staff",
  })
  @IsOptional()
  @IsMongoId()
  accountId?: string;

  @ApiPropertyOptional({ example: '13800001234' })
  @IsOptional()
  @Matches(/^\+?[0-9 -]{5,20}$/, { message: 'phone must be 5-20 digits' })
  phone?: string;

  @ApiPropertyOptional({ example: 'Urban management', description: 'Required for department officers' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  department?: string;

  @ApiPropertyOptional({ example: '2025-01-01T00:00:00+08:00', description: 'When the person starts; now when absent' })
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  @ApiPropertyOptional({
    example: '2027-12-31T16:00:00Z',
    description: 'The first instant the person no longer holds the position; open-ended when absent',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;
}

/** Positions held at a building; the others are held at a grid, a residential area or the community. */
export const BUILDING_POSITIONS: readonly GridPosition[] = [GridPosition.BuildingLeader, GridPosition.BuildingPartyGroupLeader];

/** Order in which the people responsible for a place are listed: the grid head first. */
export const POSITION_RANK: readonly GridPosition[] = [
  GridPosition.GridHead,
  GridPosition.ExecutiveDeputy,
  GridPosition.FullTimeDeputy,
  GridPosition.GridStaff,
  GridPosition.DepartmentOfficer,
  GridPosition.BuildingLeader,
  GridPosition.BuildingPartyGroupLeader,
];

export class EndStaffAssignmentDto {
  @ApiPropertyOptional({
    example: '2025-06-30T16:00:00Z',
    description: 'The first instant the person no longer holds the position; now when absent',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;

  @ApiPropertyOptional({ example: 'Transferred to the street office' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export enum StaffListScope {
  /** Assignments in force now. */
  Current = 'current',
  /** Every assignment ever made, ended ones included. */
  History = 'history',
}

export class StaffListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only assignments at this node' })
  @IsOptional()
  @IsMongoId()
  nodeId?: string;

  @ApiPropertyOptional({ enum: StaffListScope, default: StaffListScope.Current })
  @IsOptional()
  @IsEnum(StaffListScope)
  scope?: StaffListScope;
}

export class ResponsibleQueryDto {
  @ApiPropertyOptional({ example: '2025-03-01T09:00:00+08:00', description: 'The instant asked about; now when absent' })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;
}

/** A hierarchy file travels to the grid service in one NATS message (1 MB): about 30,000 rows of one unit each. */
export const HIERARCHY_IMPORT_MAX_CSV_CHARS = 900_000;

/** A CSV file of a community's buildings (one row each) or units (one row each); the first line names the columns. */
export class ImportCsvDto {
  @ApiProperty({
    description:
      'Buildings: area_code,grid_code,building_code,building_name,floors,units_per_floor (optional area_name, grid_name). ' +
      'Units: area_code,grid_code,building_code,unit_code,floor (optional building_name, area_name, grid_name).',
    example: 'area_code,grid_code,building_code,building_name,floors,units_per_floor\r\nA1,G01,B001,Building 1,6,2\r\n',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(HIERARCHY_IMPORT_MAX_CSV_CHARS)
  csv: string;

  @ApiPropertyOptional({ description: 'Validate and report without writing anything', default: false })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

export class MoveBuildingDto {
  @ApiProperty({ description: 'The grid the building moves to' })
  @IsMongoId()
  gridId: string;

  @ApiPropertyOptional({ example: 'Grids 3 and 4 were redrawn' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

/** Units one page of `listCommunityUnits` may hold: about 250 bytes each, well inside one NATS message. */
export const COMMUNITY_UNITS_MAX_PAGE = 2_500;

export class CommunityUnitsPageDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(COMMUNITY_UNITS_MAX_PAGE)
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  cursor?: string;
}
