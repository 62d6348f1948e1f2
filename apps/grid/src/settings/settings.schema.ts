import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import {
  AgendaLabelsDto,
  CaseCategorySettingDto,
  EvaluationWeightsDto,
  EventEnvelope,
  SettingsChangeView,
} from '@cg/contracts';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

export interface SettingsActor {
  sub: string;
  name: string;
}

export interface SettingsRevision {
  revision: number;
  by: SettingsActor;
  at: Date;
  changes: SettingsChangeView[];
}

/** The most recent changes kept with the settings; older ones are dropped by the same update that adds one. */
export const HISTORY_KEPT = 200;

/**
 * A community's own settings: `_id` is the community id, so the first change is one unique upsert and every later one
 * an update guarded by the revision it was made on, carrying its history entry and event in the same write.
 */
@Schema({ collection: 'community_settings', versionKey: false })
export class CommunitySettings {
  @Prop({ type: Types.ObjectId }) _id: Types.ObjectId;
  @Prop({ required: true }) revision: number;
  @Prop({ type: [MongooseSchema.Types.Mixed], required: true }) categories: CaseCategorySettingDto[];
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) evaluationWeights: EvaluationWeightsDto;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) agendaLabels: AgendaLabelsDto;
  @Prop({ required: true }) updatedAt: Date;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) updatedBy: SettingsActor;
  /** Latest last, at most HISTORY_KEPT entries. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) history: SettingsRevision[];
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export type CommunitySettingsDocument = HydratedDocument<CommunitySettings>;
export const CommunitySettingsSchema = SchemaFactory.createForClass(CommunitySettings);
