import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsISO8601, IsOptional } from 'class-validator';

export enum TrendInterval {
  Month = 'month',
  Week = 'week',
}

export enum CaseTrendDimension {
  Category = 'category',
  Status = 'status',
  Grid = 'grid',
  Building = 'building',
}

export class CaseTrendsQueryDto {
  @ApiPropertyOptional({ enum: TrendInterval, default: TrendInterval.Month })
  @IsOptional()
  @IsEnum(TrendInterval)
  interval?: TrendInterval;

  @ApiPropertyOptional({
    example: '2026-01-01T00:00:00+08:00',
    description: 'From this instant; by default the start of the 12th month (or week) back, China Standard Time',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2027-01-01T00:00:00+08:00', description: 'Up to, not including, this instant; now by default' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ enum: CaseTrendDimension, description: 'One series per value of this; one series "all" without it' })
  @IsOptional()
  @IsEnum(CaseTrendDimension)
  by?: CaseTrendDimension;
}

export class CaseTrendPoint {
  @ApiProperty({ example: '2026-03', description: 'Month `YYYY-MM` or ISO week `YYYY-Www`, China Standard Time' })
  period: string;
  @ApiProperty({ description: 'Cases reported in the period' }) filed: number;
  @ApiProperty({ description: 'Cases closed in the period' }) closed: number;
  @ApiPropertyOptional({ description: 'Of the cases filed in the period and signed for: median hours to sign-for' })
  signForMedianHours?: number;
  @ApiPropertyOptional() signForP90Hours?: number;
  @ApiPropertyOptional({ description: 'Of the cases closed in the period: median hours from report to close' })
  closeMedianHours?: number;
  @ApiPropertyOptional() closeP90Hours?: number;
  @ApiProperty({ description: 'Cases closed in the period with a rating' }) rated: number;
  @ApiPropertyOptional({ example: 0.75, description: 'Share of the rated ones at least basically satisfied, 0..1' })
  satisfiedShare?: number;
}

export class CaseTrendSeries {
  @ApiProperty({ description: 'The category, status, grid id or building id; "all" without `by`' }) key: string;
  @ApiProperty({ type: [CaseTrendPoint], description: 'One point per period, oldest first, empty periods included' })
  points: CaseTrendPoint[];
}

export class CaseTrendsView {
  @ApiProperty() communityId: string;
  @ApiProperty({ enum: TrendInterval }) interval: TrendInterval;
  @ApiPropertyOptional({ enum: CaseTrendDimension }) by?: CaseTrendDimension;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: [String], description: 'The periods of every series, oldest first' }) periods: string[];
  @ApiProperty({ type: [CaseTrendSeries] }) series: CaseTrendSeries[];
}
