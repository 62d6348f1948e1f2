import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { EventEnvelope } from '@cg/contracts';
import { pushEvents } from '@cg/messaging';
import { CommunityFilter, findOneById, insertOnce, isDuplicateKey } from '@cg/persistence';
import { FilterQuery, Model, Types } from 'mongoose';
import { Announcement, ReadReceipt } from './announcement.schema';
import { FeedPosition } from './audience';

const FEED_ORDER = { rank: -1, publishAt: -1, _id: -1 } as const;

/** Notices after `position` in feed order (pinned first, then newest). */
function after(position: FeedPosition | undefined): FilterQuery<Announcement> {
  if (!position) return {};
  const id = new Types.ObjectId(position.id);
  return {
    $or: [
      { rank: { $lt: position.rank } },
      { rank: position.rank, publishAt: { $lt: position.publishAt } },
      { rank: position.rank, publishAt: position.publishAt, _id: { $lt: id } },
    ],
  };
}

@Injectable()
export class AnnouncementsRepository implements OnModuleInit {
  constructor(
    @InjectModel(Announcement.name) private readonly announcements: Model<Announcement>,
    @InjectModel(ReadReceipt.name) private readonly reads: Model<ReadReceipt>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.announcements.createIndexes(), this.reads.createIndexes()]);
  }

  /** Stores a new notice; a retried post answers the stored one. */
  async insert(announcement: Announcement): Promise<Announcement> {
    return (await insertOnce(this.announcements, announcement)).doc;
  }

  findOne(filter: CommunityFilter<Announcement>): Promise<Announcement | null> {
    return findOneById<Announcement>(this.announcements, filter, { outbox: 0 });
  }

  /** A page in feed order; `and` holds the extra conditions (targets, visibility) as separate clauses. */
  page(
    filter: CommunityFilter<Announcement>,
    and: FilterQuery<Announcement>[],
    position: FeedPosition | undefined,
    limit: number,
  ): Promise<Announcement[]> {
    const clauses = [...and, after(position)].filter((c) => Object.keys(c).length > 0);
    return this.announcements
      .find({ ...filter, ...(clauses.length > 0 && { $and: clauses }) }, { outbox: 0 })
      .sort(FEED_ORDER)
      .limit(limit + 1)
      .lean<Announcement[]>()
      .exec();
  }

  async setRank(id: Types.ObjectId, rank: number): Promise<void> {
    await this.announcements.updateOne({ _id: id }, { $set: { rank } });
  }

  /** Due notices whose published event is not written yet, across communities. */
  dueUnannounced(now: Date, limit: number): Promise<Announcement[]> {
    return this.announcements
      .find({ announced: false, publishAt: { $lte: now } }, { outbox: 0 })
      .limit(limit)
      .lean<Announcement[]>()
      .exec();
  }

  /** Marks the notice announced with its published event, once: false when another writer announced it first. */
  async announce(id: Types.ObjectId, event: EventEnvelope): Promise<boolean> {
    const result = await this.announcements.updateOne(
      { _id: id, announced: false },
      { $set: { announced: true }, ...pushEvents(event) },
    );
    return result.modifiedCount === 1;
  }

  /** The receipt, inserted now or found from an earlier read. */
  async readOnce(receipt: ReadReceipt): Promise<{ receipt: ReadReceipt; first: boolean }> {
    try {
      return { receipt: (await this.reads.create(receipt)).toObject(), first: true };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const earlier = await this.reads.findOne({ _id: receipt._id }).lean<ReadReceipt>().exec();
      return { receipt: earlier!, first: false };
    }
  }

  readsOf(
    communityId: Types.ObjectId,
    personId: Types.ObjectId,
    announcementIds: Types.ObjectId[],
  ): Promise<ReadReceipt[]> {
    return this.reads
      .find({ _id: { $in: announcementIds.map((id) => `${id}:${personId}`) }, communityId })
      .lean<ReadReceipt[]>()
      .exec();
  }

  readCounts(
    communityId: Types.ObjectId,
    announcementIds: Types.ObjectId[],
  ): Promise<{ _id: Types.ObjectId; n: number }[]> {
    return this.reads
      .aggregate<{ _id: Types.ObjectId; n: number }>([
        { $match: { communityId, announcementId: { $in: announcementIds } } },
        { $group: { _id: '$announcementId', n: { $sum: 1 } } },
      ])
      .exec();
  }

  /** Which of these people have a receipt for the notice: one lookup of the receipts' own ids. */
  async readersAmong(announcement: Pick<Announcement, '_id' | 'communityId'>, personIds: string[]): Promise<Set<string>> {
    if (personIds.length === 0) return new Set();
    const receipts = await this.reads
      .find(
        { _id: { $in: personIds.map((id) => `${announcement._id}:${id}`) }, communityId: announcement.communityId },
        { personId: 1 },
      )
      .lean<Pick<ReadReceipt, 'personId'>[]>()
      .exec();
    return new Set(receipts.map((r) => String(r.personId)));
  }
}
