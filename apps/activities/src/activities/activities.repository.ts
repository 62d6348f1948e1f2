import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ActivityStatus, EventEnvelope } from '@cg/contracts';
import { CommunityFilter, pageFilter } from '@cg/persistence';
import { Collection } from 'mongodb';
import { Model, Types } from 'mongoose';
import { Activity } from './activity.schema';
import { WaitingCounter } from './waiting-counter.schema';

/** Activities are read without their seat holders and outbox: both only matter to conditional updates. */
const LEAN = { seatHolders: 0, outbox: 0 };

@Injectable()
export class ActivitiesRepository implements OnModuleInit {
  constructor(
    @InjectModel(Activity.name) private readonly activities: Model<Activity>,
    @InjectModel(WaitingCounter.name) private readonly counters: Model<WaitingCounter>,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.activities.createIndexes();
  }

  async insert(activity: Activity): Promise<Activity> {
    return (await this.activities.create(activity)).toObject();
  }

  findOne(filter: CommunityFilter<Activity>): Promise<Activity | null> {
    return this.activities.findOne(filter, LEAN).lean<Activity>().exec();
  }

  findById(id: Types.ObjectId): Promise<Activity | null> {
    return this.activities.findOne({ _id: id }, LEAN).lean<Activity>().exec();
  }

  list(communityId: Types.ObjectId, statuses: ActivityStatus[], cursor: string | undefined, limit: number): Promise<Activity[]> {
    return this.activities
      .find({ communityId, status: { $in: statuses }, ...pageFilter(cursor) }, LEAN)
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<Activity[]>()
      .exec();
  }

  /** Moves the status only if it is still one of `from`; the event is written in the same update. */
  async step(
    filter: CommunityFilter<Activity>,
    from: ActivityStatus[],
    set: Partial<Activity>,
    event?: EventEnvelope,
  ): Promise<boolean> {
    const result = await this.activities.updateOne(
      { ...filter, status: { $in: from } },
      { $set: set, ...(event && { $push: { outbox: event } }) },
    );
    return result.modifiedCount === 1;
  }

  /** Takes `n` places for a registration if they are free and it holds none yet: the last place goes to one caller. */
  async takeSeats(activityId: Types.ObjectId, registrationId: Types.ObjectId, n: number): Promise<boolean> {
    const result = await this.activities.updateOne(
      { _id: activityId, status: ActivityStatus.Published, seatsLeft: { $gte: n }, seatHolders: { $ne: registrationId } },
      { $inc: { seatsLeft: -n }, $push: { seatHolders: registrationId } },
    );
    return result.modifiedCount === 1;
  }

  async holdsSeats(activityId: Types.ObjectId, registrationId: Types.ObjectId): Promise<boolean> {
    return (await this.activities.countDocuments({ _id: activityId, seatHolders: registrationId })) > 0;
  }

  /** Gives a registration's places back, once: a second call finds it no longer among the holders. */
  async releaseSeats(activityId: Types.ObjectId, registrationId: Types.ObjectId, n: number): Promise<boolean> {
    const result = await this.activities.updateOne(
      { _id: activityId, seatHolders: registrationId },
      { $pull: { seatHolders: registrationId }, $inc: { seatsLeft: n } },
    );
    return result.modifiedCount === 1;
  }

  /** The next position on an activity's waiting list: strictly increasing, never handed out twice. */
  async nextQueuePosition(activityId: Types.ObjectId): Promise<number> {
    const counter = await this.counters
      .findOneAndUpdate({ _id: activityId }, { $inc: { seq: 1 } }, { upsert: true, new: true })
      .lean<WaitingCounter>()
      .exec();
    return counter!.seq;
  }

  /** The raw collection, for the outbox relay. */
  get collection(): Collection {
    return this.activities.collection as unknown as Collection;
  }
}
