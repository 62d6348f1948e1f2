import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ActivityStatus, EventEnvelope } from '@cg/contracts';
import { CommunityFilter, pageFilter } from '@cg/persistence';
import { Collection } from 'mongodb';
import { Model, Types } from 'mongoose';
import { Activity } from './activity.schema';
import { ChangeJournal, ChangeRecord } from './change-journal';
import { WaitingCounter } from './waiting-counter.schema';

/** The model name of the activities' change journal (collection `activity_changes`). */
export const ACTIVITY_CHANGES = 'ActivityChange';

/**
 * Activities are read without their seat holders (they only matter to conditional updates) and without the embedded
 * outbox an activity written before the change journal may still carry.
 */
const LEAN = { seatHolders: 0, outbox: 0 };

@Injectable()
export class ActivitiesRepository implements OnModuleInit {
  /** Status changes, each with its events; the activity itself carries no outbox, as seats change it often. */
  readonly journal: ChangeJournal<Activity>;

  constructor(
    @InjectModel(Activity.name) private readonly activities: Model<Activity>,
    @InjectModel(WaitingCounter.name) private readonly counters: Model<WaitingCounter>,
    @InjectModel(ACTIVITY_CHANGES) changes: Model<ChangeRecord>,
  ) {
    this.journal = new ChangeJournal(changes, activities, (id) => this.findById(id));
  }

  async onModuleInit(): Promise<void> {
    await this.activities.createIndexes();
    await this.journal.createIndexes();
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

  /**
   * Moves the activity on if it is still as read (same version), with its events in the change's own record; the
   * record's id, or undefined when the activity had moved on. Callers hold the activity's lock.
   */
  step(current: Activity, set: Partial<Activity>, event?: EventEnvelope): Promise<string | undefined> {
    return this.journal.commit(current, set, event ? [event] : []);
  }

  /** The activity with any change a stopped writer claimed but did not apply applied. Callers hold its lock. */
  catchUp(current: Activity): Promise<Activity> {
    return this.journal.catchUp(current);
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

  /** The raw journal collection, for the outbox relay. */
  get changeCollection(): Collection {
    return this.journal.collection;
  }
}
