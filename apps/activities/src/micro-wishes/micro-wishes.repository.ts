import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { EventEnvelope, MicroWishStatus } from '@cg/contracts';
import { CommunityFilter, pageFilter } from '@cg/persistence';
import { Collection } from 'mongodb';
import { Model, Types } from 'mongoose';
import { MicroWish } from './micro-wish.schema';

@Injectable()
export class MicroWishesRepository implements OnModuleInit {
  constructor(@InjectModel(MicroWish.name) private readonly wishes: Model<MicroWish>) {}

  async onModuleInit(): Promise<void> {
    await this.wishes.createIndexes();
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

  /** Moves the wish from `from`, with its event in the same update. Callers hold the wish's lock. */
  async step(id: Types.ObjectId, from: MicroWishStatus, set: Partial<MicroWish>, event?: EventEnvelope): Promise<boolean> {
    const result = await this.wishes.updateOne({ _id: id, status: from }, { $set: set, ...(event && { $push: { outbox: event } }) });
    return result.modifiedCount === 1;
  }

  /** Approved wishes whose claim deadline has passed. */
  dueToExpire(now: Date, limit: number): Promise<Pick<MicroWish, '_id'>[]> {
    return this.wishes
      .find({ status: MicroWishStatus.Approved, expiresAt: { $lte: now } }, { _id: 1 })
      .limit(limit)
      .lean<Pick<MicroWish, '_id'>[]>()
      .exec();
  }

  /** The raw collection, for the outbox relay. */
  get collection(): Collection {
    return this.wishes.collection as unknown as Collection;
  }
}
