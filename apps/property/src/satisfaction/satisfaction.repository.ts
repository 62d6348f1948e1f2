import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DomainException, ErrorCode, SurveyStatus } from '@cg/contracts';
import { CommunityFilter, insertOnce, isDuplicateKey } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { CommunityEvaluationWeights, Survey, SurveyResponse } from './survey.schema';

@Injectable()
export class SatisfactionRepository implements OnModuleInit {
  constructor(
    @InjectModel(Survey.name) private readonly surveys: Model<Survey>,
    @InjectModel(SurveyResponse.name) private readonly responses: Model<SurveyResponse>,
    @InjectModel(CommunityEvaluationWeights.name) private readonly weights: Model<CommunityEvaluationWeights>,
  ) {}

  /** The community's weights, or null while it keeps the defaults. */
  evaluationWeights(communityId: Types.ObjectId): Promise<CommunityEvaluationWeights | null> {
    return this.weights.findById(communityId).lean<CommunityEvaluationWeights>().exec();
  }

  /**
   * Keeps a newer revision of the weights: one update conditional on the stored revision being older, so events
   * redelivered or arriving out of order never put older weights back.
   */
  async keepEvaluationWeights(weights: CommunityEvaluationWeights): Promise<void> {
    const { _id, ...fields } = weights;
    try {
      await this.weights.updateOne({ _id, revision: { $lt: weights.revision } }, { $set: fields }, { upsert: true });
    } catch (error) {
      // The upsert met a stored document with this or a newer revision: nothing to change.
      if (!isDuplicateKey(error)) throw error;
    }
  }

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
