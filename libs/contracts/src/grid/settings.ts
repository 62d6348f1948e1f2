import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsInt,
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
import { rpc } from '../rpc';
import { event } from '../events';
import type { InCommunity } from './subjects';

/** A category code: lower case, digits and underscores, starting with a letter. */
export const CATEGORY_CODE = /^[a-z][a-z0-9_]{1,31}$/;

/** The department code of the property company: a case routed to it opens a service request in property. */
export const PROPERTY_DEPARTMENT = 'property_company';

export enum CaseRouting {
  /** The grid the location lies in handles it. */
  Grid = 'grid',
  /** A functional department handles it; the grid keeps track. */
  Department = 'department',
}

export enum SettingsLanguage {
  Chinese = 'zh',
  English = 'en',
}

export class LocalizedTextDto {
  @ApiProperty({ example: '噪声扰民' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  zh: string;

  @ApiProperty({ example: 'Noise' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  en: string;
}

export class CaseCategorySettingDto {
  @ApiProperty({ example: 'bulky_waste', pattern: CATEGORY_CODE.source })
  @IsString()
  @Matches(CATEGORY_CODE, {
    message: 'code must be lower case letters, digits and underscores, 2 to 32, starting with a letter',
  })
  code: string;

  @ApiProperty({ type: LocalizedTextDto })
  @ValidateNested()
  @Type(() => LocalizedTextDto)
  names: LocalizedTextDto;

  @ApiProperty({
    minimum: 1,
    maximum: 30,
    example: 5,
    description: 'Working days to resolve a case of normal urgency',
  })
  @IsInt()
  @Min(1)
  @Max(30)
  slaWorkingDays: number;

  @ApiProperty({ enum: CaseRouting })
  @IsEnum(CaseRouting)
  routing: CaseRouting;

  @ApiPropertyOptional({
    example: PROPERTY_DEPARTMENT,
    description: `The department, with routing \`department\`; \`${PROPERTY_DEPARTMENT}\` opens a service request in property`,
  })
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(64)
  department?: string;

  @ApiPropertyOptional({ description: 'With routing `department`: cases inside a home stay with the grid' })
  @IsOptional()
  @IsBoolean()
  homesToGrid?: boolean;

  @ApiProperty({ description: 'Inactive categories stay on the cases filed under them but take no new ones' })
  @IsBoolean()
  active: boolean;
}

/** Weights in percent of the property company's evaluation; they sum to 100. */
export class EvaluationWeightsDto {
  @ApiProperty({ example: 50, minimum: 0, maximum: 100 })
  @IsInt()
  @Min(0)
  @Max(100)
  satisfaction: number;

  @ApiProperty({ example: 30, minimum: 0, maximum: 100 })
  @IsInt()
  @Min(0)
  @Max(100)
  timeliness: number;

  @ApiProperty({ example: 20, minimum: 0, maximum: 100 })
  @IsInt()
  @Min(0)
  @Max(100)
  ratings: number;
}

export class AgendaLabelsDto {
  @ApiProperty({
    type: LocalizedTextDto,
    description:
      'Title of a top complaint category item; `{category}`, `{count}` and `{cases}` ("3 cases", "3件") are filled in',
    example: { zh: '{category}：本月{cases}', en: '{category}: {cases} this month' },
  })
  @ValidateNested()
  @Type(() => LocalizedTextDto)
  complaints: LocalizedTextDto;

  @ApiProperty({
    type: LocalizedTextDto,
    description: 'Title of a hotspot building item; `{building}`, `{count}` and `{cases}` are filled in',
    example: { zh: '热点楼栋{building}：本月{cases}', en: 'Hotspot building {building}: {cases} this month' },
  })
  @ValidateNested()
  @Type(() => LocalizedTextDto)
  hotspot: LocalizedTextDto;
}

export class CommunitySettingsDto {
  @ApiProperty({
    description:
      'The revision read (0 while the community runs on the defaults); a stale one is refused with 409',
  })
  @IsInt()
  @Min(0)
  expectedRevision: number;

  @ApiProperty({ type: [CaseCategorySettingDto], minItems: 1, maxItems: 60 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(60)
  @ValidateNested({ each: true })
  @Type(() => CaseCategorySettingDto)
  categories: CaseCategorySettingDto[];

  @ApiProperty({ type: EvaluationWeightsDto })
  @ValidateNested()
  @Type(() => EvaluationWeightsDto)
  evaluationWeights: EvaluationWeightsDto;

  @ApiProperty({ type: AgendaLabelsDto })
  @ValidateNested()
  @Type(() => AgendaLabelsDto)
  agendaLabels: AgendaLabelsDto;
}

export class SettingsActorView {
  @ApiProperty({ description: 'Account id' }) sub: string;
  @ApiProperty() name: string;
}

export class CommunitySettingsView {
  @ApiProperty() communityId: string;
  @ApiProperty({
    description: '0 while the community runs on the defaults; send it back as expectedRevision',
  })
  revision: number;
  @ApiProperty({ type: [CaseCategorySettingDto] }) categories: CaseCategorySettingDto[];
  @ApiProperty({ type: EvaluationWeightsDto }) evaluationWeights: EvaluationWeightsDto;
  @ApiProperty({ type: AgendaLabelsDto }) agendaLabels: AgendaLabelsDto;
  @ApiPropertyOptional() updatedAt?: string;
  @ApiPropertyOptional({ type: SettingsActorView }) updatedBy?: SettingsActorView;
}

export class SettingsChangeView {
  @ApiProperty({ example: 'categories.noise.slaWorkingDays', description: 'What changed, as a path' })
  field: string;
  @ApiPropertyOptional({ example: '2', description: 'The value before, as JSON; absent when added' })
  from?: string;
  @ApiPropertyOptional({ example: '3', description: 'The value after, as JSON; absent when removed' })
  to?: string;
}

export class SettingsRevisionView {
  @ApiProperty() revision: number;
  @ApiProperty({ type: SettingsActorView }) by: SettingsActorView;
  @ApiProperty() at: string;
  @ApiProperty({ type: [SettingsChangeView] }) changes: SettingsChangeView[];
}

export class SettingsHistoryPage {
  @ApiProperty({ type: [SettingsRevisionView], description: 'Latest first' }) items: SettingsRevisionView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class SettingsHistoryQueryDto extends PageQueryDto {}

export interface CommunitySettingsChangedData {
  revision: number;
  changes: SettingsChangeView[];
  categories: CaseCategorySettingDto[];
  evaluationWeights: EvaluationWeightsDto;
  agendaLabels: AgendaLabelsDto;
}

export const GridSettingsEvents = {
  changed: event<CommunitySettingsChangedData>('evt.grid.settings.changed'),
} as const;

export const GridSettingsRpc = {
  get: rpc<InCommunity, CommunitySettingsView>('grid.settings.get'),
  put: rpc<InCommunity & { settings: CommunitySettingsDto }, CommunitySettingsView>('grid.settings.put'),
  history: rpc<InCommunity & { page: SettingsHistoryQueryDto }, SettingsHistoryPage>('grid.settings.history'),
} as const;
