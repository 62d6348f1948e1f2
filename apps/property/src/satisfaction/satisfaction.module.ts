import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CompaniesModule } from '../companies/companies.module';
import { ResidencesModule } from '../residences/residences.module';
import { ServiceRequestsModule } from '../service-requests/service-requests.module';
import { SatisfactionController } from './satisfaction.controller';
import { SatisfactionRepository } from './satisfaction.repository';
import { SatisfactionService } from './satisfaction.service';
import {
  CommunityEvaluationWeights,
  CommunityEvaluationWeightsSchema,
  Survey,
  SurveyResponse,
  SurveyResponseSchema,
  SurveySchema,
} from './survey.schema';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Survey.name, schema: SurveySchema },
      { name: SurveyResponse.name, schema: SurveyResponseSchema },
      { name: CommunityEvaluationWeights.name, schema: CommunityEvaluationWeightsSchema },
    ]),
    CompaniesModule,
    ResidencesModule,
    ServiceRequestsModule,
  ],
  controllers: [SatisfactionController],
  providers: [SatisfactionRepository, SatisfactionService],
})
export class SatisfactionModule {}
