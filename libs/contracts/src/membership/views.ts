import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Role } from '../principal';
import { Gender, Relation } from './dto';

export class PrincipalView {
  @ApiProperty() sub: string;
  @ApiPropertyOptional() personId?: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: Role, isArray: true }) roles: Role[];
  @ApiProperty({ type: [String] }) communityIds: string[];
}

export class LoginReply {
  @ApiProperty() accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Seconds until the token expires' }) expiresIn: number;
  @ApiProperty({ type: PrincipalView }) principal: PrincipalView;
}

export class AccountView {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional() personId?: string;
  @ApiProperty({ enum: Role, isArray: true }) roles: Role[];
  @ApiProperty({ type: [String] }) communityIds: string[];
}

export class ResidentView {
  @ApiProperty({ description: 'Person id' }) id: string;
  @ApiProperty() communityId: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: '138****1234', description: 'Always masked; see the reveal route' }) phone: string;
  @ApiPropertyOptional({ example: '3101**********1239', description: 'Always masked; see the reveal route' })
  idNumber?: string;
  @ApiProperty() unitId: string;
  @ApiProperty() buildingId: string;
  @ApiProperty() gridId: string;
  @ApiProperty({ enum: Relation }) relation: Relation;
  @ApiProperty() registeredAt: string;
  @ApiPropertyOptional() accountId?: string;
  @ApiPropertyOptional({ example: '1980-01-01' }) dateOfBirth?: string;
  @ApiPropertyOptional({ enum: Gender }) gender?: Gender;
  @ApiPropertyOptional({ description: 'Since when the resident lives in the unit above' }) residentSince?: string;
  @ApiPropertyOptional({ description: 'Set when the resident has moved out of the community; the unit is the last one' })
  movedOutAt?: string;
  @ApiPropertyOptional({ description: 'Number of residence changes so far; 0 for the registration' }) revision?: number;
}

export class ResidentPage {
  @ApiProperty({ type: [ResidentView] }) items: ResidentView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class ResidencePeriodView {
  @ApiProperty() unitId: string;
  @ApiProperty() buildingId: string;
  @ApiProperty({ description: 'The grid the building is in now (or was in when the period ended)' }) gridId: string;
  @ApiProperty({ enum: Relation }) relation: Relation;
  @ApiProperty() from: string;
  @ApiPropertyOptional({ description: 'Absent while the resident still lives there' }) until?: string;
}

export class ResidenceHistoryView {
  @ApiProperty() personId: string;
  @ApiProperty({ type: [ResidencePeriodView], description: 'Oldest first' }) periods: ResidencePeriodView[];
}

export class HouseholdView {
  @ApiProperty() unitId: string;
  @ApiProperty({ type: [ResidentView], description: 'Who lives in the unit today, owners first' }) members: ResidentView[];
}
