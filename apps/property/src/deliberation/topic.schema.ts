import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { DeliberationBody, TopicCategory, TopicDecision, TopicScope } from '@cg/contracts';
import { Types } from 'mongoose';

/** A topic of the deliberation forum (议事平台). Its supports, replies and moderation are records of their own. */
@Schema({ collection: 'deliberation_topics', versionKey: false })
export class Topic {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ required: true }) title: string;
  @Prop({ required: true }) description: string;
  @Prop({ type: String, enum: TopicCategory, required: true }) category: TopicCategory;
  @Prop({ type: String, enum: TopicScope, required: true }) scope: TopicScope;
  @Prop() scopeId?: string;
  @Prop({ required: true }) authorSub: string;
  @Prop() authorPersonId?: string;
  @Prop({ required: true }) authorName: string;
  @Prop({ required: true }) raisedAt: Date;
  /** Supports are refused from this instant unless the threshold was reached before it (TOPIC_EXPIRY_DAYS). */
  @Prop() expiresAt?: Date;
  /** Set once, by the conditional update of the support that first brought it to the threshold before expiry. */
  @Prop() thresholdReachedAt?: Date;
  /** Written by the conditional update that admits each support, which is where expiry is decided. */
  @Prop() lastSupportedAt?: Date;
  /** Set once, by the conditional update that links the ballot drafted for it. */
  @Prop() ballotId?: string;
}

export const TopicSchema = SchemaFactory.createForClass(Topic);
// The forum of a community, filtered by category or by grid/building, ranked in code (the forum list).
TopicSchema.index({ communityId: 1, category: 1, scopeId: 1 });

/** One person's support of a topic. `_id` is `<topicId>:<supporter>`: a person supports a topic once. */
@Schema({ collection: 'topic_supports', versionKey: false })
export class TopicSupport {
  @Prop({ type: String }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) topicId: Types.ObjectId;
  @Prop({ required: true }) supporter: string;
  @Prop({ required: true }) at: Date;
}

export const TopicSupportSchema = SchemaFactory.createForClass(TopicSupport);
// Supports counted per topic of a community (the topic view and the forum list's counts).
TopicSupportSchema.index({ communityId: 1, topicId: 1 });
// The topics one person supports (supportedByMe in the forum list).
TopicSupportSchema.index({ communityId: 1, supporter: 1 });

@Schema({ collection: 'topic_replies', versionKey: false })
export class TopicReply {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) topicId: Types.ObjectId;
  @Prop({ required: true }) body: string;
  @Prop({ required: true }) authorSub: string;
  @Prop() authorPersonId?: string;
  @Prop({ required: true }) authorName: string;
  @Prop({ required: true }) postedAt: Date;
}

export const TopicReplySchema = SchemaFactory.createForClass(TopicReply);
// The replies of a topic, paginated by _id (the reply list); also counted per topic (views, forum list).
TopicReplySchema.index({ communityId: 1, topicId: 1, _id: 1 });

/** A post (topic or reply) hidden by staff. `_id` is the post id: a post is hidden once. */
@Schema({ collection: 'deliberation_moderations', versionKey: false })
export class Moderation {
  @Prop({ type: String }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) topicId: Types.ObjectId;
  @Prop({ type: String, enum: ['topic', 'reply'], required: true }) post: 'topic' | 'reply';
  @Prop({ required: true }) reason: string;
  @Prop({ required: true }) by: string;
  @Prop({ required: true }) at: Date;
}

export const ModerationSchema = SchemaFactory.createForClass(Moderation);
// Hidden topics of a community (the forum list).
ModerationSchema.index({ communityId: 1, post: 1 });

/** A committee taking a well-supported topic up. `_id` is `<topicId>:take-up`: a topic is taken up once. */
@Schema({ collection: 'topic_take_ups', versionKey: false })
export class TopicTakeUp {
  @Prop({ type: String }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) topicId: Types.ObjectId;
  @Prop({ type: String, enum: DeliberationBody, required: true }) body: DeliberationBody;
  @Prop({ required: true }) by: string;
  @Prop({ required: true }) byName: string;
  @Prop({ required: true }) at: Date;
  @Prop({ required: true }) supports: number;
  @Prop({ required: true }) threshold: number;
}

export const TopicTakeUpSchema = SchemaFactory.createForClass(TopicTakeUp);
// Take-ups of a community's topics (read by _id in the views; this serves a community-wide listing).
TopicTakeUpSchema.index({ communityId: 1, topicId: 1 });

/** The committee's response to a topic it took up. `_id` is `<topicId>:response`: recorded once. */
@Schema({ collection: 'topic_responses', versionKey: false })
export class TopicResponse {
  @Prop({ type: String }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) topicId: Types.ObjectId;
  @Prop({ type: String, enum: DeliberationBody, required: true }) body: DeliberationBody;
  @Prop({ required: true }) text: string;
  @Prop({ type: String, enum: TopicDecision, required: true }) decision: TopicDecision;
  @Prop({ required: true }) by: string;
  @Prop({ required: true }) byName: string;
  @Prop({ required: true }) at: Date;
}

export const TopicResponseSchema = SchemaFactory.createForClass(TopicResponse);
// Responses of a community's topics (read by _id in the views; this serves a community-wide listing).
TopicResponseSchema.index({ communityId: 1, topicId: 1 });

/** A community's forum settings; absent means the defaults. `_id` is the community id. Last writer wins. */
@Schema({ collection: 'deliberation_settings', versionKey: false })
export class DeliberationSettings {
  @Prop({ type: String }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ required: true }) supportThreshold: number;
  @Prop({ required: true }) updatedBy: string;
  @Prop({ required: true }) updatedAt: Date;
}

export const DeliberationSettingsSchema = SchemaFactory.createForClass(DeliberationSettings);
