import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsMongoId,
  IsOptional,
  Matches,
} from 'class-validator';
import { PageQueryDto } from '../common/pagination';
import { OmitOrGive } from '../common/validation';
import type { InCommunity } from '../grid/subjects';
import { Role } from '../principal';
import { rpc } from '../rpc';
import type { AreaSource } from './events';

/** A positive area in m² with at most two decimals, e.g. "89.5" or "89.50"; stored and replied with two. */
export const AREA_PATTERN = /^(?=[0-9.]*[1-9])[0-9]{1,7}(\.[0-9]{1,2})?$/;
const AREA_HINT = 'a positive number of m² with at most two decimals, e.g. "89.50"';

export class RecordOwnershipDto {
  @ApiProperty({
    type: [String],
    description:
      'Person ids of the owners of record (registered residents of this community); empty for the developer',
  })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(20)
  @IsMongoId({ each: true })
  ownerPersonIds: string[];

  @ApiPropertyOptional({
    description: 'The co-owner who votes for the unit; required when there are several owners',
  })
  @IsOptional()
  @IsMongoId()
  voterPersonId?: string;

  @ApiPropertyOptional({
    description: "The unit is unsold or undelivered and still the developer's",
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  heldByDeveloper?: boolean;

  @ApiPropertyOptional({
    example: '89.50',
    description: `Exclusive area in the property register: ${AREA_HINT}`,
  })
  @OmitOrGive()
  @Matches(AREA_PATTERN, { message: `registerArea must be ${AREA_HINT}` })
  registerArea?: string;

  @ApiPropertyOptional({
    example: '89.62',
    description: `Surveyed exclusive area, used when the register has none`,
  })
  @OmitOrGive()
  @Matches(AREA_PATTERN, { message: `surveyedArea must be ${AREA_HINT}` })
  surveyedArea?: string;

  @ApiPropertyOptional({
    example: '90.00',
    description: 'Exclusive area in the sales contract, the last resort',
  })
  @OmitOrGive()
  @Matches(AREA_PATTERN, { message: `contractArea must be ${AREA_HINT}` })
  contractArea?: string;
}

export class OwnerRegisterQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only units of this building' })
  @IsOptional()
  @IsMongoId()
  buildingId?: string;
}

export class OwnerOfRecordView {
  @ApiProperty() personId: string;
  @ApiProperty() name: string;
}

export class OwnershipView {
  @ApiProperty() unitId: string;
  @ApiProperty() communityId: string;
  @ApiProperty() buildingId: string;
  @ApiProperty() gridId: string;
  @ApiProperty({ example: '1203' }) unitCode: string;
  @ApiProperty({ example: '89.50', description: 'Exclusive floor area in m², two decimals' })
  exclusiveArea: string;
  @ApiProperty({ enum: ['register', 'surveyed', 'contract'] }) areaSource: AreaSource;
  @ApiProperty({ type: [OwnerOfRecordView] }) owners: OwnerOfRecordView[];
  @ApiProperty({ description: 'Person id of the co-owner who votes, or "developer"' }) voterPersonId: string;
  @ApiProperty() heldByDeveloper: boolean;
  @ApiProperty({ description: 'Units with the same key count as one owner' }) headcountKey: string;
  @ApiProperty() revision: number;
  @ApiProperty() updatedAt: string;
}

export class OwnershipPage {
  @ApiProperty({ type: [OwnershipView] }) items: OwnershipView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class OwnerCountsView {
  @ApiProperty({ description: 'Units with owners of record' }) units: number;
  @ApiProperty({ description: 'Owners counted per the Civil Code: distinct headcount keys' }) owners: number;
  @ApiProperty({ example: '2080000.00', description: 'Sum of exclusive areas in m², exact, two decimals' })
  totalArea: string;
}

/** Who may read the owner register and its counts. */
export const OWNER_REGISTER_READERS: readonly Role[] = [
  Role.CommunityStaff,
  Role.DistrictAdmin,
  Role.OwnersCommitteeMember,
  Role.PropertyManager,
];

/** Owners' side of the register: record a unit's owners, read the register and its counts. */
export const MembershipOwnershipRpc = {
  record: rpc<InCommunity & { unitId: string; ownership: RecordOwnershipDto }, OwnershipView>(
    'membership.ownership.record',
  ),
  get: rpc<InCommunity & { unitId: string }, OwnershipView>('membership.ownership.get'),
  register: rpc<InCommunity & { query: OwnerRegisterQueryDto }, OwnershipPage>('membership.ownership.list'),
  counts: rpc<InCommunity, OwnerCountsView>('membership.ownership.count'),
} as const;
