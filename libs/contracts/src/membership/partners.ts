import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { PageQueryDto } from '../common/pagination';
import type { InCommunity } from '../grid/subjects';
import { PartnerDomain } from '../property/consultations';
import { rpc } from '../rpc';
import { Availability } from './volunteers';

/** A community partner's (社区合伙人) offer: the domains they advise in, on what grounds, when, and how much at once. */
export class PartnerProfileDto {
  @ApiProperty({ enum: PartnerDomain, isArray: true, example: [PartnerDomain.LegalServices] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsEnum(PartnerDomain, { each: true })
  domains: PartnerDomain[];

  @ApiProperty({ type: [String], example: ['Lawyer, Shanghai Bar Association, licence 2011'] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  qualifications: string[];

  @ApiProperty({ enum: Availability, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsEnum(Availability, { each: true })
  availability: Availability[];

  @ApiProperty({ example: 2, minimum: 1, maximum: 20, description: 'Consultations the partner takes at once' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  maxOpenConsultations: number;

  @ApiPropertyOptional({ example: 'Twenty years of property law; happy to read contracts and quotes.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  introduction?: string;
}

export class PartnerQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PartnerDomain, description: 'Only partners advising in this domain' })
  @IsOptional()
  @IsEnum(PartnerDomain)
  domain?: PartnerDomain;
}

export class PartnerView {
  @ApiProperty() personId: string;
  @ApiProperty() communityId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: PartnerDomain, isArray: true }) domains: PartnerDomain[];
  @ApiProperty({ type: [String] }) qualifications: string[];
  @ApiProperty({ enum: Availability, isArray: true }) availability: Availability[];
  @ApiProperty() maxOpenConsultations: number;
  @ApiPropertyOptional() introduction?: string;
  @ApiProperty() buildingId: string;
  @ApiProperty() gridId: string;
  @ApiProperty() updatedAt: string;
}

export class PartnerPage {
  @ApiProperty({ type: [PartnerView] }) items: PartnerView[];
  @ApiPropertyOptional() nextCursor?: string;
}

/** One consultation the partner gave, as property reported it when the committee decided on it. */
export class PartnerConsultationView {
  @ApiProperty() consultationId: string;
  @ApiProperty({ enum: PartnerDomain }) domain: PartnerDomain;
  @ApiProperty() completedAt: string;
  @ApiPropertyOptional({ description: "Whether the owners' committee adopted the advice" }) adopted?: boolean;
  @ApiPropertyOptional() askedAt?: string;
  @ApiPropertyOptional() answeredAt?: string;
  @ApiProperty({ description: 'The property event this record came from; unique' }) sourceEventId: string;
}

export class PartnerConsultationsView {
  @ApiProperty() personId: string;
  @ApiProperty({ description: 'Consultations completed, all time' }) completed: number;
  @ApiProperty({ description: 'Of those, how many the committee adopted' }) adopted: number;
  @ApiProperty({ type: [PartnerConsultationView] }) items: PartnerConsultationView[];
  @ApiPropertyOptional() nextCursor?: string;
}

type OnPartner = InCommunity & { personId: string };

export const MembershipPartnerRpc = {
  save: rpc<OnPartner & { profile: PartnerProfileDto }, PartnerView>('membership.partners.save'),
  get: rpc<OnPartner, PartnerView>('membership.partners.get'),
  list: rpc<InCommunity & { query: PartnerQueryDto }, PartnerPage>('membership.partners.list'),
  consultations: rpc<OnPartner & { page: PageQueryDto }, PartnerConsultationsView>(
    'membership.partner-consultations.list',
  ),
} as const;
