import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { NoticeLanguage } from '@cg/contracts';
import { isDuplicateKey } from '@cg/persistence';
import { Model } from 'mongoose';
import {
  ActivityTitle,
  AudienceNotice,
  CaseReporter,
  PersonalNotice,
  ReadMark,
  RecentNotice,
  Recipient,
} from './notice.schema';

/** Personal notices a reader's inbox keeps; older ones drop out of it (they stay stored). */
export const RECENT_CAP = 500;
/** Audience notices one inbox read considers, newest first. */
export const AUDIENCE_CAP = 500;

/** Inserts `doc` unless its `_id` is there already; answers the stored one and whether this call stored it. */
async function insertOnceById<D extends { _id: string }>(model: Model<D>, doc: D): Promise<{ doc: D; created: boolean }> {
  try {
    await model.create(doc);
    return { doc, created: true };
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const first = await model.findById(doc._id).lean<D>().exec();
    if (!first) throw error;
    return { doc: first, created: false };
  }
}

/** Every read here is by `_id` (one key or `$in`) except the audience query, which its index serves. */
@Injectable()
export class NoticesRepository implements OnModuleInit {
  constructor(
    @InjectModel(PersonalNotice.name) private readonly personal: Model<PersonalNotice>,
    @InjectModel(AudienceNotice.name) private readonly audience: Model<AudienceNotice>,
    @InjectModel(Recipient.name) private readonly recipients: Model<Recipient>,
    @InjectModel(ReadMark.name) private readonly marks: Model<ReadMark>,
    @InjectModel(CaseReporter.name) private readonly reporters: Model<CaseReporter>,
    @InjectModel(ActivityTitle.name) private readonly titles: Model<ActivityTitle>,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.audience.createIndexes();
  }

  insertPersonal(notice: PersonalNotice): Promise<{ doc: PersonalNotice; created: boolean }> {
    return insertOnceById(this.personal, notice);
  }

  insertAudience(notice: AudienceNotice): Promise<{ doc: AudienceNotice; created: boolean }> {
    return insertOnceById(this.audience, notice);
  }

  /**
   * Adds a personal notice to the reader's recent list once: the filter skips a reader who has it already, so a
   * redelivered event changes nothing. Two first notices at once race on the upsert; the loser retries as an update.
   */
  async addRecent(readerId: string, entry: RecentNotice): Promise<void> {
    const update = { $push: { recent: { $each: [entry], $slice: -RECENT_CAP } } };
    const filter = { _id: readerId, 'recent.id': { $ne: entry.id } };
    try {
      await this.recipients.updateOne(filter, update, { upsert: true }).exec();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      await this.recipients.updateOne(filter, update).exec();
    }
  }

  findRecipient(readerId: string): Promise<Recipient | null> {
    return this.recipients.findById(readerId).lean<Recipient>().exec();
  }

  personalByIds(ids: string[]): Promise<PersonalNotice[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.personal.find({ _id: { $in: ids } }).lean<PersonalNotice[]>().exec();
  }

  findPersonal(id: string): Promise<PersonalNotice | null> {
    return this.personal.findById(id).lean<PersonalNotice>().exec();
  }

  findAudience(id: string): Promise<AudienceNotice | null> {
    return this.audience.findById(id).lean<AudienceNotice>().exec();
  }

  /** The newest audience notices for any of `keys` that have happened by `now`. */
  audienceFor(keys: string[], now: Date): Promise<AudienceNotice[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.audience
      .find({ audiences: { $in: keys }, at: { $lte: now } })
      .sort({ at: -1 })
      .limit(AUDIENCE_CAP)
      .lean<AudienceNotice[]>()
      .exec();
  }

  /** Which of `noticeIds` the reader has marked read. */
  async readOf(readerId: string, noticeIds: string[]): Promise<Set<string>> {
    if (noticeIds.length === 0) return new Set();
    const prefix = `${readerId}:`;
    const found = await this.marks
      .find({ _id: { $in: noticeIds.map((id) => prefix + id) } }, { _id: 1 })
      .lean<{ _id: string }[]>()
      .exec();
    return new Set(found.map((m) => m._id.slice(prefix.length)));
  }

  /** True when this call marked it; false when it was marked already. */
  async markRead(readerId: string, noticeId: string, at: Date): Promise<boolean> {
    try {
      await this.marks.create({ _id: `${readerId}:${noticeId}`, readAt: at });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  setReadAll(readerId: string, at: Date): Promise<void> {
    return this.upsertSet(readerId, { readAllAt: at });
  }

  setLanguage(readerId: string, language: NoticeLanguage): Promise<void> {
    return this.upsertSet(readerId, { language });
  }

  private async upsertSet(readerId: string, set: Partial<Recipient>): Promise<void> {
    try {
      await this.recipients.updateOne({ _id: readerId }, { $set: set }, { upsert: true }).exec();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      await this.recipients.updateOne({ _id: readerId }, { $set: set }).exec();
    }
  }

  reporterOf(caseId: string): Promise<CaseReporter | null> {
    return this.reporters.findById(caseId).lean<CaseReporter>().exec();
  }

  async recordReporter(reporter: CaseReporter): Promise<void> {
    await insertOnceById(this.reporters, reporter);
  }

  async titleOf(activityId: string): Promise<string | undefined> {
    return (await this.titles.findById(activityId).lean<ActivityTitle>().exec())?.title;
  }

  async recordTitle(activityId: string, title: string): Promise<void> {
    await this.titles.updateOne({ _id: activityId }, { $set: { title } }, { upsert: true }).exec().catch((error) => {
      if (!isDuplicateKey(error)) throw error;
    });
  }
}
