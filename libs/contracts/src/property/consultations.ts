import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsISO8601,
  IsMongoId,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PageQueryDto } from '../common/pagination';
import type { InCommunity } from '../grid/subjects';
import { rpc } from '../rpc';

/** The five domains community partners (社区合伙人) give advice in. */
export enum PartnerDomain {
  PropertyEngineering = 'property_engineering',
  GreeningUpkeep = 'greening_upkeep',
  CommunityCulture = 'community_culture',
  FinancialManagement = 'financial_management',
  LegalServices = 'legal_services',
}

export enum ConsultationStatus {
  /** Waiting for the partner's answer. */
  Asked = 'asked',
  /** Answered; waiting for the committee's decision. */
  Answered = 'answered',
  /** The committee recorded whether it adopts the advice. */
  Completed = 'completed',
  Withdrawn = 'withdrawn',
}

export class AskConsultationDto {
  @ApiProperty({ description: 'The community partner asked (person id): someone with a partner profile in membership' })
  @IsMongoId()
  partnerPersonId: string;

  @ApiProperty({ enum: PartnerDomain, description: "One of the partner's declared domains" })
  @IsEnum(PartnerDomain)
  domain: PartnerDomain;

  @ApiProperty({ example: 'Is the quote for waterproofing the roof of building 12 reasonable?' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  question: string;

  @ApiPropertyOptional({ type: [String], example: ['https://files.example.org/quotes/roof-12.pdf'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'] }, { each: true })
  documents?: string[];

  @ApiProperty({ example: '2025-06-30T18:00:00+08:00', description: 'When the committee needs the answer' })
  @IsISO8601({ strict: true })
  dueAt: string;
}

export class AnswerConsultationDto {
  @ApiProperty({ example: 'The unit price is about 20% above the district reference; ask for a second quote.' })
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  answer: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'] }, { each: true })
  documents?: string[];
}

export class ConsultationDecisionDto {
  @ApiProperty({ description: 'Whether the committee adopts the advice' })
  @IsBoolean()
  adopted: boolean;

  @ApiProperty({ example: 'A second quote was requested as advised.' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  reasons: string;
}

export class ConsultationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ConsultationStatus })
  @IsOptional()
  @IsEnum(ConsultationStatus)
  status?: ConsultationStatus;
}

export class ConsultationAnswerView {
  @ApiProperty() text: string;
  @ApiProperty({ type: [String] }) documents: string[];
  @ApiProperty() answeredAt: string;
}

export class ConsultationDecisionView {
  @ApiProperty() adopted: boolean;
  @ApiProperty() reasons: string;
  @ApiProperty() decidedBy: string;
  @ApiProperty() decidedAt: string;
}

export class ConsultationView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty() partnerPersonId: string;
  @ApiProperty({ enum: PartnerDomain }) domain: PartnerDomain;
  @ApiProperty() question: string;
  @ApiProperty({ type: [String] }) documents: string[];
  @ApiProperty() dueAt: string;
  @ApiProperty() askedBy: string;
  @ApiProperty() askedAt: string;
  @ApiProperty({ enum: ConsultationStatus }) status: ConsultationStatus;
  @ApiProperty({ description: 'Asked and not answered by the due date' }) overdue: boolean;
  @ApiPropertyOptional({ type: ConsultationAnswerView }) answer?: ConsultationAnswerView;
  @ApiPropertyOptional({ type: ConsultationDecisionView }) decision?: ConsultationDecisionView;
}

export class ConsultationPage {
  @ApiProperty({ type: [ConsultationView] }) items: ConsultationView[];
  @ApiPropertyOptional() nextCursor?: string;
}

type OfConsultation = InCommunity & { consultationId: string };

export const ConsultationRpc = {
  ask: rpc<InCommunity & { consultation: AskConsultationDto }, ConsultationView>('property.consultations.ask'),
  get: rpc<OfConsultation, ConsultationView>('property.consultations.get'),
  list: rpc<InCommunity & { query: ConsultationListQueryDto }, ConsultationPage>('property.consultations.list'),
  answer: rpc<OfConsultation & { answer: AnswerConsultationDto }, ConsultationView>('property.consultations.answer'),
  decide: rpc<OfConsultation & { decision: ConsultationDecisionDto }, ConsultationView>('property.consultations.decide'),
  withdraw: rpc<OfConsultation, ConsultationView>('property.consultations.withdraw'),
} as const;
