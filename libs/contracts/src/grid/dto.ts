import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEnum,
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

  @ApiPropertyOptional({ example: '13800001234' })
  @IsOptional()
  @Matches(/^\+?[0-9 -]{5,20}$/, { message: 'phone must be 5-20 digits' })
  phone?: string;

  @ApiPropertyOptional({ example: 'Urban management', description: 'For department officers' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  department?: string;
}
