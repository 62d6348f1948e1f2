import { ApiProperty } from '@nestjs/swagger';
import { PERIOD_PATTERN } from '@cg/contracts';
import { IsMongoId, Matches } from 'class-validator';
import { CommunityPath } from '../http/paths';

export class CompanyPath {
  @ApiProperty({ description: 'Property company id' })
  @IsMongoId()
  companyId: string;
}

export class CompanyEvaluationPath extends CommunityPath {
  @ApiProperty({ description: 'Property company id' })
  @IsMongoId()
  companyId: string;

  @ApiProperty({ example: '2025-Q2', description: 'A month (2025-06) or a quarter (2025-Q2)' })
  @Matches(PERIOD_PATTERN, { message: 'period must be a month (2025-06) or a quarter (2025-Q2)' })
  period: string;
}

export class ServiceRequestPath extends CommunityPath {
  @ApiProperty({ description: 'Service request id' })
  @IsMongoId()
  requestId: string;
}

export class SurveyPath extends CommunityPath {
  @ApiProperty({ description: 'Satisfaction survey id' })
  @IsMongoId()
  surveyId: string;
}

export class ConsultationPath extends CommunityPath {
  @ApiProperty({ description: 'Consultation id' })
  @IsMongoId()
  consultationId: string;
}

export class ElectionPath extends CommunityPath {
  @ApiProperty({ description: 'Election id' })
  @IsMongoId()
  electionId: string;
}

export class CandidatePath extends ElectionPath {
  @ApiProperty({ description: 'Candidate id' })
  @IsMongoId()
  candidateId: string;
}
