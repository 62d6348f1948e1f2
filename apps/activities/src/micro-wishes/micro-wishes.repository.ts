import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { EventEnvelope, MicroWishStatus } from '@cg/contracts';
import { CommunityFilter, pageFilter } from '@cg/persistence';
import { Collection } from 'mongodb';
import { Model, Types } from 'mongoose';
import { ChangeJournal, ChangeRecord } from '../activities/change-journal';
import { MicroWish } from './micro-wish.schema';

/** The model name of the micro-wishes' change journal (collection `micro_wish_changes`). */
export const MICRO_WISH_CHANGES = 'MicroWishChange';

@Injectable()
export class MicroWishesRepository implements OnModuleInit {
  /** Steps of wishes, each with its events; the wish itself carries no outbox, as every step rewrites it. */
  readonly journal: ChangeJournal<MicroWish>;

  constructor(
    @InjectModel(MicroWish.name) private readonly wishes: Model<MicroWish>,
    @InjectModel(MICRO_WISH_CHANGES) changes: Model<ChangeRecord>,
  ) {
    this.journal = new ChangeJournal(changes, wishes, (id) => this.findById(id));
  }

  async onModuleInit(): Promise<void> {
    await this.wishes.createIndexes();
    await this.journal.createIndexes();
  }

  async insert(wish: MicroWish): Promise<MicroWish> {
    return (await this.wishes.create(wish)).toObject();
  }

  findOne(filter: CommunityFilter<MicroWish>): Promise<MicroWish | null> {
    return this.wishes.findOne(filter, { outbox: 0 }).lean<MicroWish>().exec();
  }

  findById(id: Types.ObjectId): Promise<MicroWish | null> {
    return this.wishes.findOne({ _id: id }, { outbox: 0 }).lean<MicroWish>().exec();
  }

  list(filter: CommunityFilter<MicroWish>, cursor: string | undefined, limit: number): Promise<MicroWish[]> {
    return this.wishes
      .find({ ...filter, ...pageFilter(cursor) }, { outbox: 0 })
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<MicroWish[]>()
      .exec();
  }

  /**
   * Moves the wish on if it is still as read (same version), with its event in the step's own record; the record's
   * id, or undefined when the wish had moved on. Callers hold the wish's lock.
   */
  step(current: MicroWish, set: Partial<MicroWish>, event?: EventEnvelope): Promise<string | undefined> {
    return this.journal.commit(current, set, event ? [event] : []);
  }

  /** The wish with any step a stopped writer claimed but did not apply applied. Callers hold its lock. */
  catchUp(current: MicroWish): Promise<MicroWish> {
    return this.journal.catchUp(current);
  }

  /** Approved wishes whose claim deadline has passed. */
  dueToExpire(now: Date, limit: number): Promise<Pick<MicroWish, '_id'>[]> {
    return this.wishes
      .find({ status: MicroWishStatus.Approved, expiresAt: { $lte: now } }, { _id: 1 })
      .limit(limit)
      .lean<Pick<MicroWish, '_id'>[]>()
      .exec();
  }

  /** The raw journal collection, for the outbox relay. */
  get changeCollection(): Collection {
    return this.journal.collection;
  }
}
