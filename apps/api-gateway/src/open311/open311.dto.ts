import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CaseCategory, CaseLocationKind, CaseStatus, CaseUrgency, CaseView } from '@cg/contracts';
import { Type } from 'class-transformer';
import { IsEnum, IsIn, IsISO8601, IsInt, IsMongoId, IsOptional, IsString, IsUrl, Max, MaxLength, Min, MinLength } from 'class-validator';

/** Open311 GeoReport v2 service: one per case category. */
export class Open311Service {
  @ApiProperty({ example: 'noise' }) service_code: string;
  @ApiProperty({ example: 'Noise' }) service_name: string;
  @ApiProperty() description: string;
  @ApiProperty({ example: false }) metadata: boolean;
  @ApiProperty({ example: 'realtime' }) type: 'realtime';
  @ApiProperty({ example: 'noise,complaint' }) keywords: string;
  @ApiProperty({ example: 'Living environment' }) group: string;
}

export class Open311Request {
  @ApiProperty() service_request_id: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status: 'open' | 'closed';
  @ApiPropertyOptional({ description: 'The case status in this system' }) status_notes?: string;
  @ApiProperty() service_code: string;
  @ApiProperty() service_name: string;
  @ApiProperty() description: string;
  @ApiProperty({ description: 'The grid handling the request' }) agency_responsible: string;
  @ApiProperty() requested_datetime: string;
  @ApiProperty() updated_datetime: string;
  @ApiProperty({ description: 'When it is due to be resolved' }) expected_datetime: string;
  @ApiProperty({ description: 'Unit or building id' }) address_id: string;
  @ApiPropertyOptional() address?: string;
  @ApiPropertyOptional() media_url?: string;
}

export class Open311RequestCreated {
  @ApiProperty() service_request_id: string;
  @ApiProperty() service_notice: string;
}

export class Open311RequestQuery {
  @ApiPropertyOptional({ description: 'Comma-separated request ids' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  service_request_id?: string;

  @ApiPropertyOptional({ enum: CaseCategory })
  @IsOptional()
  @IsEnum(CaseCategory)
  service_code?: CaseCategory;

  @ApiPropertyOptional({ enum: ['open', 'closed'] })
  @IsOptional()
  @IsIn(['open', 'closed'])
  status?: 'open' | 'closed';

  @ApiPropertyOptional({ description: 'Requests reported at or after this instant' })
  @IsOptional()
  @IsISO8601()
  start_date?: string;

  @ApiPropertyOptional({ description: 'Requests reported before this instant' })
  @IsOptional()
  @IsISO8601()
  end_date?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  page_size?: number;
}

export class Open311NewRequest {
  @ApiProperty({ enum: CaseCategory })
  @IsEnum(CaseCategory)
  service_code: CaseCategory;

  @ApiProperty({ minLength: 5, maxLength: 2000 })
  @IsString()
  @MinLength(5)
  @MaxLength(2000)
  description: string;

  @ApiProperty({ description: 'The unit (or, with location_kind, the building) the request is about' })
  @IsMongoId()
  address_id: string;

  @ApiPropertyOptional({ enum: CaseLocationKind, default: CaseLocationKind.Unit, description: 'Extension: what address_id names' })
  @IsOptional()
  @IsEnum(CaseLocationKind)
  location_kind?: CaseLocationKind;

  @ApiPropertyOptional({ enum: CaseUrgency, default: CaseUrgency.Normal, description: 'Extension: urgency' })
  @IsOptional()
  @IsEnum(CaseUrgency)
  urgency?: CaseUrgency;

  @ApiPropertyOptional({ description: 'A photo of the problem' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  media_url?: string;

  @ApiPropertyOptional({ description: 'Where exactly, e.g. "stairwell, 3rd floor"' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  address_string?: string;
}

const NAMES: Record<CaseCategory, [string, string]> = {
  [CaseCategory.GroupRental]: ['Group rental', 'Order and safety'],
  [CaseCategory.HomeAsBusiness]: ['Home used as shop or office', 'Order and safety'],
  [CaseCategory.IllegalConstruction]: ['Illegal construction', 'Order and safety'],
  [CaseCategory.Noise]: ['Noise', 'Living environment'],
  [CaseCategory.Sanitation]: ['Sanitation and garbage sorting', 'Living environment'],
  [CaseCategory.PropertyMaintenance]: ['Property maintenance', 'Property services'],
  [CaseCategory.SafetyHazard]: ['Safety hazard', 'Order and safety'],
  [CaseCategory.NeighbourDispute]: ['Neighbour dispute', 'Neighbourhood'],
  [CaseCategory.Other]: ['Other', 'Other'],
};

export function toService(category: CaseCategory): Open311Service {
  const [name, group] = NAMES[category];
  return {
    service_code: category,
    service_name: name,
    description: `${name}: reported to the grid of the address and handled within its deadline`,
    metadata: false,
    type: 'realtime',
    keywords: category.replace(/_/g, ','),
    group,
  };
}

export function toRequest(view: CaseView): Open311Request {
  const last = view.history.at(-1);
  return {
    service_request_id: view.id,
    status: view.status === CaseStatus.Closed ? 'closed' : 'open',
    status_notes: view.status,
    service_code: view.category,
    service_name: NAMES[view.category][0],
    description: view.description,
    agency_responsible: `grid:${view.gridId}`,
    requested_datetime: view.reportedAt,
    updated_datetime: last?.at ?? view.reportedAt,
    expected_datetime: view.dueAt,
    address_id: view.unitId ?? view.buildingId,
    ...(view.place && { address: view.place }),
    ...(view.photoUrls[0] && { media_url: view.photoUrls[0] }),
  };
}
