import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DomainException, ErrorCode, SurveyStatus } from '@cg/contracts';
import { CommunityFilter } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { Survey, SurveyResponse } from './survey.schema';

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;

@Injectable()
export class SatisfactionRepository implements OnModuleInit {
  constructor(
    @InjectModel(Survey.name) private readonly surveys: Model<Survey>,
    @InjectModel(SurveyResponse.name) private readonly responses: Model<SurveyResponse>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.surveys.createIndexes(), this.responses.createIndexes()]);
  }

  async insertSurvey(survey: Survey): Promise<Survey> {
    try {
      return (await this.surveys.create(survey)).toObject();
    } catch (error) {
      if (isDuplicateKey(error)) throw new DomainException(ErrorCode.DUPLICATE, `There is already a survey of this company for ${survey.period}`);
      throw error;
    }
  }

  findSurvey(filter: CommunityFilter<Survey>): Promise<Survey | null> {
    return this.surveys.findOne(filter).lean<Survey>().exec();
  }

  async closeSurvey(survey: Survey, closedAt: Date): Promise<boolean> {
    const result = await this.surveys.updateOne(
      { _id: survey._id, communityId: survey.communityId, status: SurveyStatus.Open },
      { $set: { status: SurveyStatus.Closed, closedAt } },
    );
    return result.modifiedCount === 1;
  }

  async insertResponse(response: SurveyResponse): Promise<SurveyResponse> {
    try {
      return (await this.responses.create(response)).toObject();
    } catch (error) {
      if (isDuplicateKey(error)) throw new DomainException(ErrorCode.DUPLICATE, 'You have already answered this survey');
      throw error;
    }
  }

  /** Every answer of a survey; scores are summed in code (FerretDB v1 sums fields to 0). */
  responsesOf(communityId: Types.ObjectId, surveyId: Types.ObjectId): Promise<Pick<SurveyResponse, 'buildingId' | 'score'>[]> {
    return this.responses
      .find({ communityId, surveyId }, { _id: 0, buildingId: 1, score: 1 })
      .lean<Pick<SurveyResponse, 'buildingId' | 'score'>[]>()
      .exec();
  }
}
