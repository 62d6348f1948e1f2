import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CaseCategory, CaseLocationKind, CaseUrgency } from '@cg/contracts';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsEnum,
  IsIn,
  IsISO8601,
  IsLatitude,
  IsLongitude,
  IsMongoId,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  MinLength,
} from 'class-validator';
import { CommunityPath } from '../http/paths';
import { GEOREPORT_FORMATS, GeoReportFormat, GeoReportStatus, URGENCY_ATTRIBUTE } from './georeport';

export class FormatPath {
  @ApiProperty({ enum: GEOREPORT_FORMATS, description: 'The answer format, appended to the resource as the spec says' })
  @IsIn(GEOREPORT_FORMATS)
  format: GeoReportFormat;
}

export class ServiceDefinitionPath extends FormatPath {
  @ApiProperty({ enum: CaseCategory })
  @IsString()
  @MaxLength(64)
  service_code: string;
}

export class ServiceRequestPath extends FormatPath {
  @ApiProperty({ description: 'The service request id (the case id)' })
  @IsString()
  @MaxLength(64)
  service_request_id: string;
}

export class TokenPath extends FormatPath {
  @ApiProperty({ description: 'The token answered by POST requests; here it is the service request id itself' })
  @IsString()
  @MaxLength(64)
  token: string;
}

export class JurisdictionQuery {
  @ApiPropertyOptional({
    example: 'K01',
    description: 'The community code (its id works too). Required on reads; on a write the api_key names the community, and a jurisdiction_id of another community is refused',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  jurisdiction_id?: string;
}

export class ServiceRequestListQuery extends JurisdictionQuery {
  @ApiPropertyOptional({ description: 'Comma-delimited ids; overrides every other filter' })
  @IsOptional()
  @IsString()
  @MaxLength(2600)
  service_request_id?: string;

  @ApiPropertyOptional({ example: 'noise,sanitation', description: 'Comma-delimited service codes' })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  service_code?: string;

  @ApiPropertyOptional({ example: '2026-09-01T00:00:00Z', description: 'Requested at or after (W3C date-time); at most 90 days before end_date' })
  @IsOptional()
  @IsISO8601({ strict: true })
  start_date?: string;

  @ApiPropertyOptional({ example: '2026-11-30T00:00:00Z', description: 'Requested at or before (W3C date-time); without both dates, the last 90 days' })
  @IsOptional()
  @IsISO8601({ strict: true })
  end_date?: string;

  @ApiPropertyOptional({ example: 'open', description: 'Comma-delimited: open, closed' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  status?: string;
}

export class NewServiceRequestQuery extends JurisdictionQuery {
  @ApiPropertyOptional({ description: 'The api_key issued by the community staff, when not sent in the body' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  api_key?: string;
}

/**
 * POST requests, form-encoded as the spec says (JSON is accepted too). The contact fields are accepted and not
 * kept: requests are public, and a case filed through Open311 is filed by the client application's key.
 */
export class NewServiceRequest {
  @ApiPropertyOptional({ description: 'The api_key issued by the community staff; or in the query' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  api_key?: string;

  @ApiPropertyOptional({ description: 'Optional: the api_key names the community' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  jurisdiction_id?: string;

  @ApiProperty({ enum: CaseCategory })
  @IsEnum(CaseCategory)
  service_code: CaseCategory;

  @ApiPropertyOptional({ example: 31.2304, description: 'WGS84 latitude, kept with the case' })
  @IsOptional()
  @Type(() => Number)
  @IsLatitude()
  lat?: number;

  @ApiPropertyOptional({ example: 121.4737, description: 'WGS84 longitude, kept with the case' })
  @IsOptional()
  @Type(() => Number)
  @IsLongitude()
  long?: number;

  @ApiPropertyOptional({ example: 'Stairwell, 3rd floor', description: 'Where exactly; kept with the case and shown as `address`' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  address_string?: string;

  @ApiPropertyOptional({
    description: 'Required here: a unit id or a building id of the community, from which the case is routed to its grid',
  })
  @IsOptional()
  @IsMongoId()
  address_id?: string;

  @ApiPropertyOptional({ description: 'Accepted, not kept' })
  @IsOptional()
  @IsEmail()
  @MaxLength(200)
  email?: string;

  @ApiPropertyOptional({ description: 'Accepted, not kept' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  device_id?: string;

  @ApiPropertyOptional({ description: 'Accepted, not kept' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  account_id?: string;

  @ApiPropertyOptional({ description: 'Accepted, not kept' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  first_name?: string;

  @ApiPropertyOptional({ description: 'Accepted, not kept' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  last_name?: string;

  @ApiPropertyOptional({ description: 'Accepted, not kept' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string;

  @ApiPropertyOptional({ minLength: 5, maxLength: 2000, description: 'What is wrong; the service name when not given' })
  @IsOptional()
  @IsString()
  @MinLength(5)
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ description: 'A photo of the problem' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  media_url?: string;

  @ApiPropertyOptional({ name: 'attribute[urgency]', enum: CaseUrgency, default: CaseUrgency.Normal })
  @IsOptional()
  @IsEnum(CaseUrgency)
  'attribute[urgency]'?: CaseUrgency;

  @ApiPropertyOptional({ name: 'attribute[location_kind]', enum: CaseLocationKind, description: 'What address_id names' })
  @IsOptional()
  @IsEnum(CaseLocationKind)
  'attribute[location_kind]'?: CaseLocationKind;
}

class GeoReportValueView {
  @ApiProperty({ example: 'urgent' }) key: string;
  @ApiProperty({ example: 'Urgent' }) name: string;
}

class GeoReportAttributeView {
  @ApiProperty() variable: boolean;
  @ApiProperty({ example: URGENCY_ATTRIBUTE }) code: string;
  @ApiProperty({ example: 'singlevaluelist' }) datatype: string;
  @ApiProperty() required: boolean;
  @ApiProperty() datatype_description: string;
  @ApiProperty() order: number;
  @ApiProperty() description: string;
  @ApiProperty({ type: [GeoReportValueView] }) values: GeoReportValueView[];
}

export class GeoReportServiceView {
  @ApiProperty({ example: 'noise' }) service_code: string;
  @ApiProperty({ example: 'Noise' }) service_name: string;
  @ApiProperty() description: string;
  @ApiProperty({ description: 'True: the service has attributes, see its definition' }) metadata: boolean;
  @ApiProperty({ example: 'realtime' }) type: string;
  @ApiProperty({ example: 'noise' }) keywords: string;
  @ApiProperty({ example: 'Living environment' }) group: string;
}

export class GeoReportServiceDefinitionView {
  @ApiProperty({ example: 'noise' }) service_code: string;
  @ApiProperty({ type: [GeoReportAttributeView] }) attributes: GeoReportAttributeView[];
}

export class GeoReportRequestView {
  @ApiProperty() service_request_id: string;
  @ApiProperty({ enum: ['open', 'closed'], description: 'closed once the case is resolved' }) status: GeoReportStatus;
  @ApiProperty({ description: 'Where the case stands, in words' }) status_notes: string;
  @ApiProperty() service_name: string;
  @ApiProperty() service_code: string;
  @ApiProperty() description: string;
  @ApiProperty({ example: 'grid:665f1b2c9d3e4a0012345678', description: 'The grid handling the request' }) agency_responsible: string;
  @ApiProperty() service_notice: string;
  @ApiProperty({ example: '2026-12-02T08:15:30Z' }) requested_datetime: string;
  @ApiProperty({ example: '2026-12-02T09:00:00Z' }) updated_datetime: string;
  @ApiProperty({ example: '2026-12-09T08:15:30Z', description: 'When it is due to be resolved' }) expected_datetime: string;
  @ApiPropertyOptional({ description: 'The address_string given' }) address?: string;
  @ApiProperty({ description: 'The building: a request never shows which household filed or concerns it' }) address_id: string;
  @ApiPropertyOptional() lat?: number;
  @ApiPropertyOptional() long?: number;
  @ApiPropertyOptional() media_url?: string;
}

export class GeoReportCreatedView {
  @ApiProperty() service_request_id: string;
  @ApiProperty() service_notice: string;
}

export class GeoReportTokenView {
  @ApiProperty() service_request_id: string;
  @ApiProperty() token: string;
}

export class GeoReportErrorView {
  @ApiProperty({ example: 403, description: 'The HTTP status' }) code: number;
  @ApiProperty({ example: 'API_KEY_INVALID: api_key is not valid', description: 'The stable code, then what went wrong' }) description: string;
}

class DiscoveryEndpointView {
  @ApiProperty({ example: 'http://wiki.open311.org/GeoReport_v2' }) specification: string;
  @ApiProperty({ example: 'https://api.example.org/open311/v2' }) url: string;
  @ApiProperty() changeset: string;
  @ApiProperty({ example: 'production' }) type: string;
  @ApiProperty({ example: ['text/xml', 'application/json'] }) formats: string[];
}

export class DiscoveryView {
  @ApiProperty() changeset: string;
  @ApiProperty() contact: string;
  @ApiProperty() key_service: string;
  @ApiProperty({ type: [DiscoveryEndpointView] }) endpoints: DiscoveryEndpointView[];
}

export class IssueOpen311KeyDto {
  @ApiProperty({ example: '12345 city hotline', description: 'The client application the key is for' })
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  name: string;
}

export class Open311KeyPath extends CommunityPath {
  @ApiProperty({ description: 'Key id' })
  @IsMongoId()
  keyId: string;
}

class KeyHolderView {
  @ApiProperty({ description: 'Account id' }) sub: string;
  @ApiProperty() name: string;
}

export class Open311KeyView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty() name: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: KeyHolderView }) createdBy: KeyHolderView;
  @ApiPropertyOptional({ description: 'Last filing with the key, to the minute' }) lastUsedAt?: string;
  @ApiPropertyOptional() revokedAt?: string;
  @ApiPropertyOptional({ type: KeyHolderView }) revokedBy?: KeyHolderView;
}

export class IssuedOpen311KeyView extends Open311KeyView {
  @ApiProperty({ description: 'The api_key: shown this once, kept only as a hash' }) apiKey: string;
}

export class Open311KeyList {
  @ApiProperty({ type: [Open311KeyView] }) items: Open311KeyView[];
}
