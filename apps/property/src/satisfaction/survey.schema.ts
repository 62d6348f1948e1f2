import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { SurveyStatus } from '@cg/contracts';
import { Types } from 'mongoose';

/** A satisfaction survey of the property company for one period (满意度测评). */
@Schema({ collection: 'satisfaction_surveys', versionKey: false })
export class Survey {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) companyId: Types.ObjectId;
  @Prop({ required: true }) period: string;
  @Prop({ type: String, enum: SurveyStatus, required: true }) status: SurveyStatus;
  @Prop({ required: true }) openedBy: string;
  @Prop({ required: true }) openedAt: Date;
  @Prop() closedAt?: Date;
}

export const SurveySchema = SchemaFactory.createForClass(Survey);
// One survey per company and period in a community; also the evaluation's lookup of a period's survey.
SurveySchema.index({ communityId: 1, companyId: 1, period: 1 }, { unique: true });

/** One resident's answer; the unique key is the one-answer-per-person rule. */
@Schema({ collection: 'satisfaction_responses', versionKey: false })
export class SurveyResponse {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) surveyId: Types.ObjectId;
  @Prop({ required: true }) personId: string;
  @Prop({ required: true }) buildingId: string;
  @Prop({ required: true }) score: number;
  @Prop() comment?: string;
  @Prop({ required: true }) respondedAt: Date;
}

export const SurveyResponseSchema = SchemaFactory.createForClass(SurveyResponse);
// One answer per person and survey; also every answer of a survey (the results and the evaluation's totals).
SurveyResponseSchema.index({ communityId: 1, surveyId: 1, personId: 1 }, { unique: true });

/**
 * The evaluation weights a community set in its settings (owned by grid), copied here from
 * `evt.grid.settings.changed` so an evaluation needs no call to grid; `_id` is the community id.
 */
@Schema({ collection: 'evaluation_weights', versionKey: false })
export class CommunityEvaluationWeights {
  _id: Types.ObjectId;
  @Prop({ required: true }) revision: number;
  @Prop({ required: true }) satisfaction: number;
  @Prop({ required: true }) timeliness: number;
  @Prop({ required: true }) ratings: number;
}

export const CommunityEvaluationWeightsSchema = SchemaFactory.createForClass(CommunityEvaluationWeights);
