import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsISO8601,
  IsMongoId,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';

/** Matters that go to the owners' assembly (Civil Code art. 278). */
export enum AssemblyMatter {
  RulesOfProcedure = 'rules_of_procedure',
  ManagementCovenant = 'management_covenant',
  CommitteeElection = 'committee_election',
  PropertyCompanyHiring = 'property_company_hiring',
  MaintenanceFundUse = 'maintenance_fund_use',
  MaintenanceFundRaising = 'maintenance_fund_raising',
  Rebuilding = 'rebuilding',
  CommonPartsUseChange = 'common_parts_use_change',
  OtherMajorMatter = 'other_major_matter',
}

/** Ordinary matters pass with more than half; special ones need at least three quarters. */
export enum MajorityRule {
  Ordinary = 'ordinary',
  Special = 'special',
}

/** Raising the maintenance fund; rebuilding; changing the use of common parts or using them for business. */
export const SPECIAL_MATTERS: readonly AssemblyMatter[] = [
  AssemblyMatter.MaintenanceFundRaising,
  AssemblyMatter.Rebuilding,
  AssemblyMatter.CommonPartsUseChange,
];

export function majorityOf(matter: AssemblyMatter): MajorityRule {
  return SPECIAL_MATTERS.includes(matter) ? MajorityRule.Special : MajorityRule.Ordinary;
}

export enum BallotStatus {
  Draft = 'draft',
  /** The electorate is being frozen. */
  Opening = 'opening',
  Open = 'open',
  /** Voting has ended; the result is being sealed. */
  Closing = 'closing',
  Closed = 'closed',
}

export enum VoteChannel {
  Online = 'online',
  /** A paper ballot (in person or in writing) recorded by staff. */
  Paper = 'paper',
  /** Cast online by the proxy an owner authorised in writing for this ballot (委托投票). */
  Proxy = 'proxy',
}

/** One owner's choice on one candidate of a multi-seat election ballot. */
export enum CandidateChoice {
  For = 'for',
  Against = 'against',
  Abstain = 'abstain',
}

export class CandidateChoiceDto {
  @ApiProperty({ description: 'The candidate id' })
  @IsMongoId()
  candidateId: string;

  @ApiProperty({ enum: CandidateChoice })
  @IsEnum(CandidateChoice)
  choice: CandidateChoice;
}

export class CreateBallotDto {
  @ApiProperty({ example: 'Renew the lift maintenance contract' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  description?: string;

  @ApiProperty({ enum: AssemblyMatter, description: 'Decides the majority: three matters are special (3/4), the rest ordinary (1/2)' })
  @IsEnum(AssemblyMatter)
  matter: AssemblyMatter;

  @ApiProperty({ type: [String], example: ['for', 'against', 'abstain'], description: '2-20 distinct options' })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  options: string[];

  @ApiProperty({ example: '2025-06-01T08:00:00+08:00', description: 'Start of the voting period (inclusive)' })
  @IsISO8601({ strict: true })
  opensAt: string;

  @ApiProperty({ example: '2025-06-15T20:00:00+08:00', description: 'End of the voting period (exclusive)' })
  @IsISO8601({ strict: true })
  closesAt: string;
}

export class CastVoteDto {
  @ApiPropertyOptional({ example: 'for', description: 'Every ballot but an election ballot: the option chosen' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  option?: string;

  @ApiPropertyOptional({
    type: [CandidateChoiceDto],
    description: 'Election ballots only: one for / against / abstain per candidate, every candidate once',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(60)
  @ValidateNested({ each: true })
  @Type(() => CandidateChoiceDto)
  choices?: CandidateChoiceDto[];

  @ApiPropertyOptional({ description: 'Only when the caller votes for more than one owner (as proxy too): which one' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  ownerKey?: string;
}

export class PaperVoteDto {
  @ApiProperty({ description: 'A unit of the owner who cast the paper ballot' })
  @IsMongoId()
  unitId: string;

  @ApiPropertyOptional({ example: 'for', description: 'Every ballot but an election ballot: the option chosen' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  option?: string;

  @ApiPropertyOptional({
    type: [CandidateChoiceDto],
    description: 'Election ballots only: one for / against / abstain per candidate, every candidate once',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(60)
  @ValidateNested({ each: true })
  @Type(() => CandidateChoiceDto)
  choices?: CandidateChoiceDto[];

  @ApiPropertyOptional({ example: 'B-000123', description: 'Number printed on the paper ballot' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  paperNumber?: string;
}

export class RecordProxyDto {
  @ApiProperty({ description: 'A unit of the owner who signed the authorisation' })
  @IsMongoId()
  unitId: string;

  @ApiProperty({ description: 'The proxy (person id); they vote online for the owner' })
  @IsMongoId()
  proxyPersonId: string;

  @ApiProperty({ example: 'Wang Fang' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  proxyName: string;

  @ApiProperty({ example: 'Written authorisation signed 2025-06-02, filed as no. 0017', description: 'The written authorisation as filed' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  authorisation: string;
}

export class RevokeProxyDto {
  @ApiProperty({ example: 'The owner will vote in person' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason: string;
}
