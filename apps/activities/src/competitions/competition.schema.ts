import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { CompetitionFormat, CompetitionMetric, EventEnvelope, ScoreSource } from '@cg/contracts';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';
import { Team } from './standings';

/** A competition across buildings; the teams are fixed when it is created. Never updated afterwards. */
@Schema({ collection: 'competitions', versionKey: false })
export class Competition {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ required: true }) title: string;
  @Prop() description?: string;
  @Prop({ type: String, enum: CompetitionMetric, required: true }) metric: CompetitionMetric;
  @Prop({ type: String, enum: CompetitionFormat, required: true }) format: CompetitionFormat;
  @Prop({ required: true }) startsAt: Date;
  @Prop({ required: true }) endsAt: Date;
  @Prop({ type: [MongooseSchema.Types.Mixed], required: true }) teams: Team[];
  @Prop({ type: [String], default: [] }) gridIds: string[];
  @Prop({ type: [String], default: [] }) activityIds: string[];
  @Prop({ required: true }) createdBy: string;
  @Prop({ required: true }) createdAt: Date;
}

export type CompetitionDocument = HydratedDocument<Competition>;
export const CompetitionSchema = SchemaFactory.createForClass(Competition);
// A community's competitions paginated by _id.
CompetitionSchema.index({ communityId: 1, _id: 1 });
// The event counters: competitions of a community counting a metric and running at the event's time.
CompetitionSchema.index({ communityId: 1, metric: 1, startsAt: 1, endsAt: 1 });

/**
 * One counted contribution to a building's score: a staff result or an event. Insert-only; `_id` is
 * `<competitionId>:<sourceKey>` so a result key or an event id counts once however often it arrives.
 */
@Schema({ collection: 'competition_scores', versionKey: false })
export class ScoreEntry {
  @Prop({ type: String }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) competitionId: Types.ObjectId;
  @Prop({ required: true }) buildingId: string;
  @Prop({ type: String, enum: ScoreSource, required: true }) source: ScoreSource;
  /** `result:<resultKey>` or `event:<eventId>`. */
  @Prop({ required: true }) sourceKey: string;
  /** In hundredths. */
  @Prop({ required: true }) points: number;
  @Prop() resultKey?: string;
  @Prop() sourceEventId?: string;
  @Prop() personId?: string;
  @Prop() note?: string;
  @Prop({ required: true }) recordedBy: string;
  @Prop({ required: true }) recordedAt: Date;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export const ScoreEntrySchema = SchemaFactory.createForClass(ScoreEntry);
// Each result key or source event counted once per competition; also the leaderboard's scan of a competition.
ScoreEntrySchema.index({ communityId: 1, competitionId: 1, sourceKey: 1 }, { unique: true });

/** The drawn bracket of a knockout competition: inserted once (`_id` is the competition id), never updated. */
@Schema({ collection: 'competition_brackets', versionKey: false })
export class DrawnBracket {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  /** Building ids, strongest seed first. */
  @Prop({ type: [String], required: true }) seeds: string[];
  @Prop({ required: true }) drawnBy: string;
  @Prop({ required: true }) drawnAt: Date;
}

export const DrawnBracketSchema = SchemaFactory.createForClass(DrawnBracket);

/** The decided result of one bracket match. Insert-only; `_id` is `<competitionId>:<matchKey>`, so a match is decided once. */
@Schema({ collection: 'competition_matches', versionKey: false })
export class MatchResult {
  @Prop({ type: String }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) competitionId: Types.ObjectId;
  @Prop({ required: true }) matchKey: string;
  @Prop({ required: true }) winnerBuildingId: string;
  @Prop({ required: true }) loserBuildingId: string;
  @Prop() score?: string;
  @Prop({ required: true }) recordedBy: string;
  @Prop({ required: true }) recordedAt: Date;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export const MatchResultSchema = SchemaFactory.createForClass(MatchResult);
// A match decided once; also the bracket's results of a competition.
MatchResultSchema.index({ communityId: 1, competitionId: 1, matchKey: 1 }, { unique: true });
