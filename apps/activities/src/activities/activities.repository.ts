import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ActivityStatus, EventEnvelope, Page } from '@cg/contracts';
import { pushEvents } from '@cg/messaging';
import { CommunityFilter, findOneById, insertOnce, paginate } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { Activity } from './activity.schema';

/** Activities are read without their seat holders and outbox: only conditional updates and the relay use them. */
const LEAN = { seatHolders: 0, outbox: 0 };

@Injectable()
export class ActivitiesRepository implements OnModuleInit {
  constructor(@InjectModel(Activity.name) private readonly activities: Model<Activity>) {}

  async onModuleInit(): Promise<void> {
    await this.activities.createIndexes();
  }

  /** Stores a new activity; a retried create answers the stored one. */
  async insert(activity: Activity): Promise<Activity> {
    return (await insertOnce(this.activities, activity)).doc;
  }

  findOne(filter: CommunityFilter<Activity>): Promise<Activity | null> {
    return findOneById<Activity>(this.activities, filter, LEAN);
  }

  findById(id: Types.ObjectId): Promise<Activity | null> {
    return this.activities.findOne({ _id: id }, LEAN).lean<Activity>().exec();
  }

  list<V>(
    communityId: Types.ObjectId,
    statuses: ActivityStatus[],
    page: { cursor?: string; limit: number },
    map: (a: Activity) => V,
  ): Promise<Page<V>> {
    return paginate(this.activities, { communityId, status: { $in: statuses } }, page, map, LEAN);
  }

  /**
   * Moves the activity from one of `from` to what `set` makes it, with its event, in one conditional update: the
   * activity as it was just before (the caller computes the after-state), or null when it was in none of `from`.
   */
  changeStatus(
    id: Types.ObjectId,
    from: ActivityStatus[],
    set: Partial<Activity>,
    event?: EventEnvelope,
  ): Promise<Activity | null> {
    return this.activities
      .findOneAndUpdate(
        { _id: id, status: { $in: from } },
        { $set: set, ...(event && pushEvents(event)) },
        { returnDocument: 'before', projection: LEAN },
      )
      .lean<Activity>()
      .exec();
  }

  /** Takes `n` places for a registration if they are free and it holds none yet: the last place goes to one caller. */
  async takeSeats(activityId: Types.ObjectId, registrationId: Types.ObjectId, n: number): Promise<boolean> {
    const result = await this.activities.updateOne(
      {
        _id: activityId,
        status: ActivityStatus.Published,
        seatsLeft: { $gte: n },
        seatHolders: { $ne: registrationId },
      },
      { $inc: { seatsLeft: -n }, $push: { seatHolders: registrationId } },
    );
    return result.modifiedCount === 1;
  }

  /** Whether the registration holds places: it is added by `takeSeats` and removed by `releaseSeats` only. */
  async holdsSeats(activityId: Types.ObjectId, registrationId: Types.ObjectId): Promise<boolean> {
    return (await this.activities.countDocuments({ _id: activityId, seatHolders: registrationId })) > 0;
  }

  /** Gives a registration's places back, once: a second call finds it no longer among the holders. */
  async releaseSeats(
    activityId: Types.ObjectId,
    registrationId: Types.ObjectId,
    n: number,
  ): Promise<boolean> {
    const result = await this.activities.updateOne(
      { _id: activityId, seatHolders: registrationId },
      { $pull: { seatHolders: registrationId }, $inc: { seatsLeft: n } },
    );
    return result.modifiedCount === 1;
  }

  /** The next position on an activity's waiting list: the counter as it was before this `$inc`, plus one. */
  async nextQueuePosition(activityId: Types.ObjectId): Promise<number> {
    const before = await this.activities
      .findOneAndUpdate(
        { _id: activityId },
        { $inc: { waitingSeq: 1 } },
        { returnDocument: 'before', projection: { waitingSeq: 1 } },
      )
      .lean<Pick<Activity, 'waitingSeq'>>()
      .exec();
    return (before?.waitingSeq ?? 0) + 1;
  }
}
