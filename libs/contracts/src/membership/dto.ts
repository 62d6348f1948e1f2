import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
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
  ValidateBy,
} from 'class-validator';
import { PageQueryDto } from '../common/pagination';
import { OptionalNestedObject } from '../common/validation';
import { Role } from '../principal';
import { idNumberProblem } from './id-number';

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,39}$/;

export enum Relation {
  Owner = 'owner',
  Tenant = 'tenant',
  FamilyMember = 'family_member',
}

export enum Gender {
  Female = 'female',
  Male = 'male',
}

/** A citizen ID number with a valid birth date and check digit (GB 11643-1999); a lower-case x is taken as X. */
const IsCitizenIdNumber = () =>
  ValidateBy({
    name: 'isCitizenIdNumber',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && idNumberProblem(value.toUpperCase()) === undefined,
      defaultMessage: (args) =>
        `idNumber ${typeof args?.value === 'string' ? idNumberProblem(args.value.toUpperCase()) : 'must be a string'}`,
    },
  });

/** A calendar date, e.g. a date of birth: `YYYY-MM-DD`. */
const CALENDAR_DATE = /^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;

export class LoginDto {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  username: string;

  @ApiProperty({ example: 'change-me-please', format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}

export class NewCredentialsDto {
  @ApiProperty({ example: 'li.ming', description: '3-40 lower-case letters, digits, ".", "_" or "-"' })
  @Matches(USERNAME, { message: 'username must be 3-40 lower-case letters, digits, ".", "_" or "-"' })
  username: string;

  @ApiProperty({ minLength: 10, maxLength: 200, format: 'password' })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  password: string;
}

export class CreateAccountDto extends NewCredentialsDto {
  @ApiProperty({ example: 'Zhang Wei' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ enum: Role, isArray: true, example: [Role.CommunityStaff] })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(11)
  @IsEnum(Role, { each: true })
  roles: Role[];

  @ApiProperty({ type: [String], description: 'Communities the account acts in' })
  @IsArray()
  @ArrayMaxSize(100)
  @IsMongoId({ each: true })
  communityIds: string[];
}

export class RegisterResidentDto {
  @ApiProperty({ example: 'Li Ming' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: '13800001234' })
  @Matches(/^\+?[0-9]{5,20}$/, { message: 'phone must be 5-20 digits, optionally with a leading +' })
  phone: string;

  @ApiPropertyOptional({
    example: '310104198001011239',
    description:
      'Citizen ID number: 18 characters with a valid birth date and check digit (GB 11643-1999); unique in the ' +
      'community (409 ID_NUMBER_TAKEN). Stored, always masked in replies',
  })
  @IsOptional()
  @IsCitizenIdNumber()
  idNumber?: string;

  @ApiProperty({ description: 'The unit (household) the resident lives in' })
  @IsMongoId()
  unitId: string;

  @ApiProperty({ enum: Relation })
  @IsEnum(Relation)
  relation: Relation;

  @ApiPropertyOptional({ example: '1980-01-01', description: 'Date of birth, YYYY-MM-DD' })
  @IsOptional()
  @Matches(CALENDAR_DATE, { message: 'dateOfBirth must be a date YYYY-MM-DD' })
  dateOfBirth?: string;

  @ApiPropertyOptional({ enum: Gender })
  @IsOptional()
  @IsEnum(Gender)
  gender?: Gender;

  @ApiPropertyOptional({ type: NewCredentialsDto, description: 'Creates a resident account for the app' })
  @OptionalNestedObject(() => NewCredentialsDto)
  account?: NewCredentialsDto;
}

/** A resident moves into another unit of the community; the current residence ends when the new one begins. */
export class MoveResidentDto {
  @ApiProperty({ description: 'The unit the resident moves into' })
  @IsMongoId()
  unitId: string;

  @ApiPropertyOptional({ enum: Relation, description: 'Relation to the new unit; the current one when absent' })
  @IsOptional()
  @IsEnum(Relation)
  relation?: Relation;

  @ApiPropertyOptional({ example: '2025-03-01T00:00:00Z', description: 'When the move happened; now when absent' })
  @IsOptional()
  @IsISO8601({ strict: true })
  movedAt?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;

  @ApiPropertyOptional({
    description: 'The `revision` of the resident the change was decided on; a different current revision is 409 CONFLICT',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  expectedRevision?: number;
}

/** A resident leaves the community: the current residence ends and no new one begins. */
export class MoveOutDto {
  @ApiPropertyOptional({ example: '2025-03-01T00:00:00Z', description: 'When the resident left; now when absent' })
  @IsOptional()
  @IsISO8601({ strict: true })
  movedAt?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;

  @ApiPropertyOptional({
    description: 'The `revision` of the resident the change was decided on; a different current revision is 409 CONFLICT',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  expectedRevision?: number;
}

/** Resident search for staff; without filters, every resident of the community in registration order. */
export class ResidentQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'Li', description: 'Start of the name, case-insensitive' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  namePrefix?: string;

  @ApiPropertyOptional({ description: 'Only residents living in this building today' })
  @IsOptional()
  @IsMongoId()
  buildingId?: string;
}
