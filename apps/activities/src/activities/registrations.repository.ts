import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { EventEnvelope, Page, RegistrationStatus } from '@cg/contracts';
import { pushEvents } from '@cg/messaging';
import { CommunityFilter, PageRequest, findOneById, insertOnce, isDuplicateKey, paginate } from '@cg/persistence';
import { FilterQuery, Model, Types } from 'mongoose';
import { Registration } from './registration.schema';

const LEAN = { outbox: 0 };
const LIVE = [RegistrationStatus.Pending, RegistrationStatus.Confirmed, RegistrationStatus.Waitlisted];

@Injectable()
export class RegistrationsRepository implements OnModuleInit {
  constructor(@InjectModel(Registration.name) private readonly registrations: Model<Registration>) {}

  async onModuleInit(): Promise<void> {
    await this.registrations.createIndexes();
  }

  /** Null when the person already holds a live registration for the activity; a retried one answers the stored one. */
  async insert(registration: Registration): Promise<Registration | null> {
    try {
      return (await insertOnce(this.registrations, registration)).doc;
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
  }

  findOne(filter: CommunityFilter<Registration>): Promise<Registration | null> {
    return findOneById<Registration>(this.registrations, filter, LEAN);
  }

  findById(id: Types.ObjectId): Promise<Registration | null> {
    return this.registrations.findOne({ _id: id }, LEAN).lean<Registration>().exec();
  }

  /**
   * Changes the registration only while it matches `guard`, with its event, in one conditional update: the
   * registration as it was just before (the caller computes the after-state), or null when it did not match.
   */
  move(
    id: Types.ObjectId,
    guard: FilterQuery<Registration>,
    set: Partial<Registration>,
    event?: EventEnvelope,
  ): Promise<Registration | null> {
    return this.registrations
      .findOneAndUpdate(
        { _id: id, ...guard },
        { $set: set, ...(event && pushEvents(event)) },
        { returnDocument: 'before', projection: LEAN },
      )
      .lean<Registration>()
      .exec();
  }

  /** Live registrations of an activity (pending, confirmed or waiting), for cancelling them with the activity. */
  live(communityId: Types.ObjectId, activityId: Types.ObjectId, limit: number): Promise<Registration[]> {
    return this.registrations
      .find({ communityId, activityId, status: { $in: LIVE } }, LEAN)
      .limit(limit)
      .lean<Registration[]>()
      .exec();
  }

  async markSeatReleased(id: Types.ObjectId): Promise<void> {
    await this.registrations.updateOne({ _id: id }, { $set: { seatReleased: true } });
  }

  /**
   * The start of the waiting list in order: waiting registrations, and those being moved up (pending, with a
   * position), so that a round of promotions counts the places another round is giving out.
   */
  waiting(communityId: Types.ObjectId, activityId: Types.ObjectId, limit: number): Promise<Registration[]> {
    return this.registrations
      .find(
        {
          communityId,
          activityId,
          status: { $in: [RegistrationStatus.Waitlisted, RegistrationStatus.Pending] },
          queuePosition: { $exists: true },
        },
        LEAN,
      )
      .sort({ queuePosition: 1 })
      .limit(limit)
      .lean<Registration[]>()
      .exec();
  }

  list<V>(
    filter: CommunityFilter<Registration> & { activityId: Types.ObjectId },
    page: PageRequest,
    map: (r: Registration) => V,
  ): Promise<Page<V>> {
    return paginate(this.registrations, filter, page, map, LEAN);
  }

  /** Confirmed registrations with their headcount and check-in time, for the attendance counts. */
  confirmedAttendance(
    communityId: Types.ObjectId,
    activityId: Types.ObjectId,
  ): Promise<Pick<Registration, 'headcount' | 'checkedInAt'>[]> {
    return this.registrations
      .find(
        { communityId, activityId, status: RegistrationStatus.Confirmed },
        { headcount: 1, checkedInAt: 1 },
      )
      .lean<Pick<Registration, 'headcount' | 'checkedInAt'>[]>()
      .exec();
  }

  countWaiting(communityId: Types.ObjectId, activityId: Types.ObjectId): Promise<number> {
    return this.registrations
      .countDocuments({ communityId, activityId, status: RegistrationStatus.Waitlisted })
      .exec();
  }

  /** Registrations a stopped process left half done, untouched since `before`: pending, or cancelled with places held. */
  unsettled(before: Date, limit: number): Promise<Registration[]> {
    return this.registrations
      .find(
        {
          $or: [
            { status: RegistrationStatus.Pending, updatedAt: { $lt: before } },
            { status: RegistrationStatus.Cancelled, seatReleased: false, updatedAt: { $lt: before } },
          ],
        },
        LEAN,
      )
      .limit(limit)
      .lean<Registration[]>()
      .exec();
  }

  /**
   * Takes a registration found by `unsettled` for this sweep: true for exactly one of the copies that found it in
   * the same state (the others would each draw a waiting-list number for it), and it is not found again for a while.
   */
  async claimUnsettled(registration: Registration, now: Date): Promise<boolean> {
    const result = await this.registrations.updateOne(
      { _id: registration._id, status: registration.status, updatedAt: registration.updatedAt },
      { $set: { updatedAt: now } },
      { timestamps: false },
    );
    return result.modifiedCount === 1;
  }
}
