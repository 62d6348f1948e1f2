import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEnum,
  IsMongoId,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PageQueryDto } from '../common/pagination';
import type { InCommunity } from '../grid/subjects';
import { rpc } from '../rpc';

const DATE = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;

export enum BodyKind {
  /** 居委会 */
  ResidentsCommittee = 'residents_committee',
  /** 业委会 */
  OwnersCommittee = 'owners_committee',
  /** 家委会 of a local school */
  SchoolFamilyCommittee = 'school_family_committee',
  /** Community party committee (社区党委) */
  PartyCommittee = 'party_committee',
  /** Party general branch of a residential area (居民区党总支) */
  PartyGeneralBranch = 'party_general_branch',
  /** Party branch, e.g. of a grid (党支部) */
  PartyBranch = 'party_branch',
  /** Building party group (楼栋党小组) */
  PartyGroup = 'party_group',
}

export enum PositionKind {
  /** Director, chair or leader of the body */
  Chair = 'chair',
  DeputyChair = 'deputy_chair',
  /** Secretary of a party organisation */
  Secretary = 'secretary',
  DeputySecretary = 'deputy_secretary',
  Member = 'member',
  /** 第二书记: a cadre from an outside unit serving as an extra secretary of a community party organisation */
  SecondSecretary = 'second_secretary',
  /** 第二梯队: a reserve cadre being prepared for the body's leadership */
  SecondEchelon = 'second_echelon',
}

/** Positions one person holds at a time in a body. */
export const SINGLE_HOLDER_POSITIONS: readonly PositionKind[] = [PositionKind.Chair, PositionKind.Secretary];

export class CreateBodyDto {
  @ApiProperty({ enum: BodyKind })
  @IsEnum(BodyKind)
  kind: BodyKind;

  @ApiProperty({ example: "Owners' committee of K, 3rd term" })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ description: 'The body this one reports to, e.g. the general branch of a party branch' })
  @IsOptional()
  @IsMongoId()
  parentBodyId?: string;

  @ApiPropertyOptional({ description: 'The area, grid or building (grid hierarchy) the body serves' })
  @IsOptional()
  @IsMongoId()
  nodeId?: string;
}

export class BodyQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: BodyKind })
  @IsOptional()
  @IsEnum(BodyKind)
  kind?: BodyKind;
}

export class AppointDto {
  @ApiProperty({ description: 'The person appointed (a resident of this community)' })
  @IsMongoId()
  personId: string;

  @ApiProperty({ enum: PositionKind })
  @IsEnum(PositionKind)
  position: PositionKind;

  @ApiPropertyOptional({ example: 'Second secretary from the district hospital' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  title?: string;

  @ApiProperty({ example: '2025-01-01', description: 'First day of the term' })
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from: string;

  @ApiPropertyOptional({ example: '2029-12-31', description: 'Last day of the term; open-ended when absent' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;
}

export class EndTermDto {
  @ApiProperty({ example: '2025-06-30', description: 'Last day in the position' })
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to: string;

  @ApiPropertyOptional({ example: 'Moved to another district' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string;
}

export class TermQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '2025-05-01', description: 'Only terms held on this day (today: use today)' })
  @IsOptional()
  @Matches(DATE, { message: 'on must be a date YYYY-MM-DD' })
  on?: string;

  @ApiPropertyOptional({ enum: PositionKind })
  @IsOptional()
  @IsEnum(PositionKind)
  position?: PositionKind;

  @ApiPropertyOptional({ description: 'Only terms of this person' })
  @IsOptional()
  @IsMongoId()
  personId?: string;
}

export class BodyView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty({ enum: BodyKind }) kind: BodyKind;
  @ApiProperty() name: string;
  @ApiPropertyOptional() parentBodyId?: string;
  @ApiPropertyOptional() nodeId?: string;
  @ApiProperty() createdAt: string;
}

export class BodyPage {
  @ApiProperty({ type: [BodyView] }) items: BodyView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class TermView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty() bodyId: string;
  @ApiProperty({ enum: BodyKind }) bodyKind: BodyKind;
  @ApiProperty() bodyName: string;
  @ApiProperty() personId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: PositionKind }) position: PositionKind;
  @ApiPropertyOptional() title?: string;
  @ApiProperty({ example: '2025-01-01' }) from: string;
  @ApiPropertyOptional({ example: '2029-12-31', description: 'Absent while open-ended' }) to?: string;
  @ApiPropertyOptional() endReason?: string;
  @ApiProperty({ description: 'Held today (China Standard Time)' }) current: boolean;
}

export class TermPage {
  @ApiProperty({ type: [TermView] }) items: TermView[];
  @ApiPropertyOptional() nextCursor?: string;
}

type OnBody = InCommunity & { bodyId: string };

export const MembershipBodyRpc = {
  create: rpc<InCommunity & { body: CreateBodyDto }, BodyView>('membership.bodies.create'),
  get: rpc<OnBody, BodyView>('membership.bodies.get'),
  list: rpc<InCommunity & { query: BodyQueryDto }, BodyPage>('membership.bodies.list'),
  appoint: rpc<OnBody & { appointment: AppointDto }, TermView>('membership.terms.appoint'),
  endTerm: rpc<OnBody & { termId: string; end: EndTermDto }, TermView>('membership.terms.end'),
  terms: rpc<OnBody & { query: TermQueryDto }, TermPage>('membership.terms.list'),
  /** Terms across every body of the community: who holds which position on a day. */
  positions: rpc<InCommunity & { query: TermQueryDto }, TermPage>('membership.positions.list'),
} as const;
