import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { CaseListQueryDto } from '@cg/contracts';
import { IsEnum, IsMongoId, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { CommunityPath } from '../http/paths';
import { ExportKind } from './export-tables';
import { ExportFormat } from './export-writer';

export class ExportPath extends CommunityPath {
  @ApiProperty({ enum: ExportKind, description: 'What to export' })
  @IsEnum(ExportKind)
  kind: ExportKind;
}

export class ExportQueryDto {
  @ApiPropertyOptional({ enum: ExportFormat, default: ExportFormat.Csv })
  @IsOptional()
  @IsEnum(ExportFormat)
  format?: ExportFormat;

  @ApiPropertyOptional({ description: 'Residents or owner register: only this building' })
  @IsOptional()
  @IsMongoId()
  buildingId?: string;

  @ApiPropertyOptional({ description: 'Party members: only those of this workplace party organisation (exact name)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  workplaceOrganisation?: string;
}

export class CaseExportQueryDto extends OmitType(CaseListQueryDto, ['cursor', 'limit'] as const) {
  @ApiPropertyOptional({ enum: ExportFormat, default: ExportFormat.Csv })
  @IsOptional()
  @IsEnum(ExportFormat)
  format?: ExportFormat;
}
