import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { EventEnvelope, MicroWishStatus, Page } from '@cg/contracts';
import { pushEvents } from '@cg/messaging';
import { CommunityFilter, PageRequest, findOneById, insertOnce, paginate } from '@cg/persistence';
import { FilterQuery, Model, Types } from 'mongoose';
import { MicroWish } from './micro-wish.schema';

const LEAN = { outbox: 0 };

@Injectable()
export class MicroWishesRepository implements OnModuleInit {
  constructor(@InjectModel(MicroWish.name) private readonly wishes: Model<MicroWish>) {}

  async onModuleInit(): Promise<void> {
    await this.wishes.createIndexes();
  }

  /** Stores a new wish; a retried post answers the stored one. */
  async insert(wish: MicroWish): Promise<MicroWish> {
    return (await insertOnce(this.wishes, wish)).doc;
  }

  findOne(filter: CommunityFilter<MicroWish>): Promise<MicroWish | null> {
    return findOneById<MicroWish>(this.wishes, filter, LEAN);
  }

  findById(id: Types.ObjectId): Promise<MicroWish | null> {
    return this.wishes.findOne({ _id: id }, LEAN).lean<MicroWish>().exec();
  }

  list<V>(
    filter: CommunityFilter<MicroWish>,
    page: PageRequest,
    map: (wish: MicroWish) => V,
  ): Promise<Page<V>> {
    return paginate(this.wishes, filter, page, map, LEAN);
  }

  /**
   * Moves the wish on only while it matches `guard` (its status at least), with its event, in one conditional
   * update: the wish as it was just before (the caller computes the after-state), or null when it did not match.
   */
  step(
    id: Types.ObjectId,
    guard: FilterQuery<MicroWish>,
    set: Partial<MicroWish>,
    event?: EventEnvelope,
  ): Promise<MicroWish | null> {
    return this.wishes
      .findOneAndUpdate(
        { _id: id, ...guard },
        { $set: set, ...(event && pushEvents(event)) },
        { returnDocument: 'before', projection: LEAN },
      )
      .lean<MicroWish>()
      .exec();
  }

  /** Expires every approved wish whose claim deadline has passed; a claim decided first keeps its wish. */
  async expireDue(now: Date): Promise<number> {
    const result = await this.wishes.updateMany(
      { status: MicroWishStatus.Approved, expiresAt: { $lte: now } },
      { $set: { status: MicroWishStatus.Expired, closedAt: now } },
    );
    return result.modifiedCount;
  }
}
