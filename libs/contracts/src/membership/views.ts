import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Role } from '../principal';
import { Relation } from './dto';

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
  @ApiProperty({ example: '138****1234' }) phone: string;
  @ApiPropertyOptional({ example: '3101**********1234' }) idNumber?: string;
  @ApiProperty() unitId: string;
  @ApiProperty() buildingId: string;
  @ApiProperty() gridId: string;
  @ApiProperty({ enum: Relation }) relation: Relation;
  @ApiProperty() registeredAt: string;
  @ApiPropertyOptional() accountId?: string;
}

export class ResidentPage {
  @ApiProperty({ type: [ResidentView] }) items: ResidentView[];
  @ApiPropertyOptional() nextCursor?: string;
}
