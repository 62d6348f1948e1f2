import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsMongoId,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Role } from '../principal';

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,39}$/;

export enum Relation {
  Owner = 'owner',
  Tenant = 'tenant',
  FamilyMember = 'family_member',
}

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

  @ApiPropertyOptional({ example: '310104198001011234', description: 'Stored, always masked in replies' })
  @IsOptional()
  @Matches(/^[0-9]{17}[0-9Xx]$/, { message: 'idNumber must be 18 characters: 17 digits and a digit or X' })
  idNumber?: string;

  @ApiProperty({ description: 'The unit (household) the resident lives in' })
  @IsMongoId()
  unitId: string;

  @ApiProperty({ enum: Relation })
  @IsEnum(Relation)
  relation: Relation;

  @ApiPropertyOptional({ type: NewCredentialsDto, description: 'Creates a resident account for the app' })
  @IsOptional()
  @ValidateNested()
  @Type(() => NewCredentialsDto)
  account?: NewCredentialsDto;
}
