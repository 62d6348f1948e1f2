import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Page, TopicCategory } from '@cg/contracts';
import { CommunityFilter, PageRequest, findOneById, insertOnce as insertOrFirst, isDuplicateKey, paginate } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import {
  DeliberationSettings,
  Moderation,
  Topic,
  TopicReply,
  TopicResponse,
  TopicSupport,
  TopicTakeUp,
} from './topic.schema';

/** Inserts a record whose unique key decides a race; false when the key is taken. */
async function insertOnce<T>(model: Model<T>, record: T): Promise<boolean> {
  try {
    await model.create(record);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

@Injectable()
export class DeliberationRepository implements OnModuleInit {
  constructor(
    @InjectModel(Topic.name) private readonly topics: Model<Topic>,
    @InjectModel(TopicSupport.name) private readonly supports: Model<TopicSupport>,
    @InjectModel(TopicReply.name) private readonly replies: Model<TopicReply>,
    @InjectModel(Moderation.name) private readonly moderations: Model<Moderation>,
    @InjectModel(TopicTakeUp.name) private readonly takeUps: Model<TopicTakeUp>,
    @InjectModel(TopicResponse.name) private readonly responses: Model<TopicResponse>,
    @InjectModel(DeliberationSettings.name) private readonly settings: Model<DeliberationSettings>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([
      this.topics.createIndexes(),
      this.supports.createIndexes(),
      this.replies.createIndexes(),
      this.moderations.createIndexes(),
      this.takeUps.createIndexes(),
      this.responses.createIndexes(),
      this.settings.createIndexes(),
    ]);
  }

  /** Inserts the topic, or answers the one a first attempt of the same write stored under its `_id`. */
  async insertTopic(topic: Topic): Promise<Topic> {
    return (await insertOrFirst(this.topics, topic)).doc;
  }

  findTopic(filter: CommunityFilter<Topic>): Promise<Topic | null> {
    return findOneById<Topic>(this.topics, filter);
  }

  topicsOf(
    communityId: Types.ObjectId,
    filter: { category?: TopicCategory; scopeId?: string },
  ): Promise<Topic[]> {
    return this.topics
      .find({
        communityId,
        ...(filter.category && { category: filter.category }),
        ...(filter.scopeId && { scopeId: filter.scopeId }),
      })
      .lean<Topic[]>()
      .exec();
  }

  /** Links the topic's ballot only if it has none yet: false when another organiser's ballot was linked first. */
  async linkBallot(topic: Pick<Topic, '_id' | 'communityId'>, ballotId: string): Promise<boolean> {
    const result = await this.topics.updateOne(
      { _id: topic._id, communityId: topic.communityId, ballotId: { $exists: false } },
      { $set: { ballotId } },
    );
    return result.modifiedCount === 1;
  }

  /**
   * Admits a support at `now` if the topic has not expired: the date comparison sits in the update's filter, so a
   * support is decided against the stored expiry by the database, not against a copy read earlier.
   */
  async admitSupport(topic: Pick<Topic, '_id' | 'communityId'>, now: Date): Promise<boolean> {
    const result = await this.topics.updateOne(
      {
        _id: topic._id,
        communityId: topic.communityId,
        $or: [{ expiresAt: { $gt: now } }, { thresholdReachedAt: { $exists: true } }, { expiresAt: { $exists: false } }],
      },
      { $set: { lastSupportedAt: now } },
    );
    return result.matchedCount === 1;
  }

  /** Records when the topic first reached the threshold, if that was before it expired. */
  async markThresholdReached(topic: Pick<Topic, '_id' | 'communityId'>, at: Date): Promise<void> {
    await this.topics.updateOne(
      {
        _id: topic._id,
        communityId: topic.communityId,
        thresholdReachedAt: { $exists: false },
        $or: [{ expiresAt: { $gt: at } }, { expiresAt: { $exists: false } }],
      },
      { $set: { thresholdReachedAt: at } },
    );
  }

  /** False when this person already supports the topic. */
  insertSupport(support: TopicSupport): Promise<boolean> {
    return insertOnce(this.supports, support);
  }

  countSupports(communityId: Types.ObjectId, topicId: Types.ObjectId): Promise<number> {
    return this.supports.countDocuments({ communityId, topicId }).exec();
  }

  async isSupportedBy(
    communityId: Types.ObjectId,
    topicId: Types.ObjectId,
    supporter: string,
  ): Promise<boolean> {
    return (await this.supports.exists({ _id: `${String(topicId)}:${supporter}`, communityId })) !== null;
  }

  /** Supports per topic of the community, counted by the database. */
  supportCounts(communityId: Types.ObjectId): Promise<Map<string, number>> {
    return this.countBy(this.supports, communityId);
  }

  replyCounts(communityId: Types.ObjectId): Promise<Map<string, number>> {
    return this.countBy(this.replies, communityId);
  }

  async topicsSupportedBy(communityId: Types.ObjectId, supporter: string): Promise<Set<string>> {
    const rows = await this.supports
      .find({ communityId, supporter }, { topicId: 1 })
      .lean<Pick<TopicSupport, 'topicId'>[]>()
      .exec();
    return new Set(rows.map((r) => String(r.topicId)));
  }

  /** Inserts the reply, or answers the one a first attempt of the same write stored under its `_id`. */
  async insertReply(reply: TopicReply): Promise<TopicReply> {
    return (await insertOrFirst(this.replies, reply)).doc;
  }

  findReply(filter: CommunityFilter<TopicReply>): Promise<TopicReply | null> {
    return findOneById<TopicReply>(this.replies, filter);
  }

  countReplies(communityId: Types.ObjectId, topicId: Types.ObjectId): Promise<number> {
    return this.replies.countDocuments({ communityId, topicId }).exec();
  }

  repliesOf(
    communityId: Types.ObjectId,
    topicId: Types.ObjectId,
    page: PageRequest,
  ): Promise<Page<TopicReply>> {
    return paginate(this.replies, { communityId, topicId }, page, (reply) => reply);
  }

  /** False when the post is already hidden. */
  insertModeration(moderation: Moderation): Promise<boolean> {
    return insertOnce(this.moderations, moderation);
  }

  /** Moderation records of these posts, by post id. */
  async moderationsOf(communityId: Types.ObjectId, postIds: string[]): Promise<Map<string, Moderation>> {
    if (postIds.length === 0) return new Map();
    const rows = await this.moderations
      .find({ _id: { $in: postIds }, communityId })
      .lean<Moderation[]>()
      .exec();
    return new Map(rows.map((m) => [m._id, m]));
  }

  async hiddenTopics(communityId: Types.ObjectId): Promise<Map<string, Moderation>> {
    const rows = await this.moderations.find({ communityId, post: 'topic' }).lean<Moderation[]>().exec();
    return new Map(rows.map((m) => [m._id, m]));
  }

  /** False when the topic was already taken up. */
  insertTakeUp(takeUp: TopicTakeUp): Promise<boolean> {
    return insertOnce(this.takeUps, takeUp);
  }

  /** False when the topic already has a response. */
  insertResponse(response: TopicResponse): Promise<boolean> {
    return insertOnce(this.responses, response);
  }

  findTakeUp(communityId: Types.ObjectId, topicId: Types.ObjectId): Promise<TopicTakeUp | null> {
    return this.takeUps
      .findOne({ _id: `${String(topicId)}:take-up`, communityId })
      .lean<TopicTakeUp>()
      .exec();
  }

  findResponse(communityId: Types.ObjectId, topicId: Types.ObjectId): Promise<TopicResponse | null> {
    return this.responses
      .findOne({ _id: `${String(topicId)}:response`, communityId })
      .lean<TopicResponse>()
      .exec();
  }

  /** Take-ups of these topics, by topic id (looked up by `_id`). */
  async takeUpsOf(communityId: Types.ObjectId, topicIds: string[]): Promise<Map<string, TopicTakeUp>> {
    if (topicIds.length === 0) return new Map();
    const rows = await this.takeUps
      .find({ _id: { $in: topicIds.map((id) => `${id}:take-up`) }, communityId })
      .lean<TopicTakeUp[]>()
      .exec();
    return new Map(rows.map((t) => [String(t.topicId), t]));
  }

  /** Responses to these topics, by topic id (looked up by `_id`). */
  async responsesOf(communityId: Types.ObjectId, topicIds: string[]): Promise<Map<string, TopicResponse>> {
    if (topicIds.length === 0) return new Map();
    const rows = await this.responses
      .find({ _id: { $in: topicIds.map((id) => `${id}:response`) }, communityId })
      .lean<TopicResponse[]>()
      .exec();
    return new Map(rows.map((r) => [String(r.topicId), r]));
  }

  findSettings(communityId: Types.ObjectId): Promise<DeliberationSettings | null> {
    return this.settings
      .findOne({ _id: String(communityId), communityId })
      .lean<DeliberationSettings>()
      .exec();
  }

  /** Replaces the community's settings; the last writer wins. */
  async saveSettings(settings: DeliberationSettings): Promise<void> {
    await this.settings.replaceOne({ _id: settings._id }, settings, { upsert: true }).exec();
  }

  private async countBy(
    model: Model<TopicSupport> | Model<TopicReply>,
    communityId: Types.ObjectId,
  ): Promise<Map<string, number>> {
    const rows = await (model as Model<TopicSupport>)
      .aggregate<{ _id: Types.ObjectId; n: number }>([
        { $match: { communityId } },
        { $group: { _id: '$topicId', n: { $sum: 1 } } },
      ])
      .exec();
    return new Map(rows.map((r) => [String(r._id), r.n]));
  }
}
