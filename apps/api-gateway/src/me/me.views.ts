import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PrincipalView, ResidenceView, ResidentView } from '@cg/contracts';
import { SectionError, SectionStatus } from './sections';

const STATUS = { enum: ['ok', 'unavailable', 'not_applicable'] };

export class ProfileSection {
  @ApiProperty(STATUS) status: SectionStatus;
  @ApiPropertyOptional({ type: ResidentView }) data?: ResidentView;
  @ApiPropertyOptional({ type: SectionError }) error?: SectionError;
}

export class ResidenceSection {
  @ApiProperty(STATUS) status: SectionStatus;
  @ApiPropertyOptional({ type: ResidenceView }) data?: ResidenceView;
  @ApiPropertyOptional({ type: SectionError }) error?: SectionError;
}

export class MeView {
  @ApiProperty({ type: PrincipalView }) account: PrincipalView;
  @ApiProperty({ type: ProfileSection, description: 'Membership: who I am and my household' }) profile: ProfileSection;
  @ApiProperty({ type: ResidenceSection, description: 'Grid: my unit, building, grid and who is responsible today' })
  residence: ResidenceSection;
}
