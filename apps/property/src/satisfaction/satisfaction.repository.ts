import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DomainException, ErrorCode, SurveyStatus } from '@cg/contracts';
import { CommunityFilter, insertOnce, isDuplicateKey } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { Survey, SurveyResponse } from './survey.schema';

@Injectable()
export class SatisfactionRepository implements OnModuleInit {
  constructor(
    @InjectModel(Survey.name) private readonly surveys: Model<Survey>,
    @InjectModel(SurveyResponse.name) private readonly responses: Model<SurveyResponse>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.surveys.createIndexes(), this.responses.createIndexes()]);
  }

  /** Inserts the survey, or answers the one a first attempt of the same write stored under its `_id`. */
  async insertSurvey(survey: Survey): Promise<Survey> {
    try {
      return (await insertOnce(this.surveys, survey)).doc;
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

  /** Inserts the answer, or answers the one a first attempt of the same write stored under its `_id`. */
  async insertResponse(response: SurveyResponse): Promise<SurveyResponse> {
    try {
      return (await insertOnce(this.responses, response)).doc;
    } catch (error) {
      if (isDuplicateKey(error)) throw new DomainException(ErrorCode.DUPLICATE, 'You have already answered this survey');
      throw error;
    }
  }

  /** Every answer's building and score, for the results by building (which need each score, not only sums). */
  responsesOf(communityId: Types.ObjectId, surveyId: Types.ObjectId): Promise<Pick<SurveyResponse, 'buildingId' | 'score'>[]> {
    return this.responses
      .find({ communityId, surveyId }, { _id: 0, buildingId: 1, score: 1 })
      .lean<Pick<SurveyResponse, 'buildingId' | 'score'>[]>()
      .exec();
  }

  /** The number of answers of a survey and the sum of their scores, counted by the database (the evaluation). */
  async scoreTotals(communityId: Types.ObjectId, surveyId: Types.ObjectId): Promise<{ responses: number; scoreSum: number }> {
    const [totals] = await this.responses
      .aggregate<{ responses: number; scoreSum: number }>([
        { $match: { communityId, surveyId } },
        { $group: { _id: null, responses: { $sum: 1 }, scoreSum: { $sum: '$score' } } },
      ])
      .exec();
    return { responses: totals?.responses ?? 0, scoreSum: totals?.scoreSum ?? 0 };
  }
}
