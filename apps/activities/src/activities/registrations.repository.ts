import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { EventEnvelope, RegistrationStatus } from '@cg/contracts';
import { CommunityFilter, pageFilter } from '@cg/persistence';
import { Collection } from 'mongodb';
import { Model, Types, UpdateQuery } from 'mongoose';
import { Registration } from './registration.schema';

@Injectable()
export class RegistrationsRepository implements OnModuleInit {
  constructor(@InjectModel(Registration.name) private readonly registrations: Model<Registration>) {}

  async onModuleInit(): Promise<void> {
    await this.registrations.createIndexes();
  }

  /** Null when the person already holds a live registration for the activity. */
  async insert(registration: Registration): Promise<Registration | null> {
    try {
      return (await this.registrations.create(registration)).toObject();
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return null;
      throw error;
    }
  }

  findOne(filter: CommunityFilter<Registration>): Promise<Registration | null> {
    return this.registrations.findOne(filter, { outbox: 0 }).lean<Registration>().exec();
  }

  findById(id: Types.ObjectId): Promise<Registration | null> {
    return this.registrations.findOne({ _id: id }, { outbox: 0 }).lean<Registration>().exec();
  }

  /** Applies the change only while the registration is still in `from`; the event goes in the same update. */
  async transition(
    id: Types.ObjectId,
    from: RegistrationStatus,
    set: Partial<Registration>,
    event?: EventEnvelope,
    extra: Record<string, unknown> = {},
  ): Promise<boolean> {
    const update: UpdateQuery<Registration> = { $set: set, ...(event && { $push: { outbox: event } }) };
    const result = await this.registrations.updateOne({ _id: id, status: from, ...extra }, update);
    return result.modifiedCount === 1;
  }

  async markSeatReleased(id: Types.ObjectId): Promise<void> {
    await this.registrations.updateOne({ _id: id }, { $set: { seatReleased: true } });
  }

  /** The start of the waiting list, in order. */
  waiting(communityId: Types.ObjectId, activityId: Types.ObjectId, limit: number): Promise<Registration[]> {
    return this.registrations
      .find({ communityId, activityId, status: RegistrationStatus.Waitlisted }, { outbox: 0 })
      .sort({ queuePosition: 1 })
      .limit(limit)
      .lean<Registration[]>()
      .exec();
  }

  list(
    filter: CommunityFilter<Registration> & { activityId: Types.ObjectId },
    cursor: string | undefined,
    limit: number,
  ): Promise<Registration[]> {
    return this.registrations
      .find({ ...filter, ...pageFilter(cursor) }, { outbox: 0 })
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<Registration[]>()
      .exec();
  }

  /** Confirmed registrations with their headcount and check-in time (FerretDB v1 cannot $sum a field). */
  confirmedAttendance(communityId: Types.ObjectId, activityId: Types.ObjectId): Promise<Pick<Registration, 'headcount' | 'checkedInAt'>[]> {
    return this.registrations
      .find({ communityId, activityId, status: RegistrationStatus.Confirmed }, { headcount: 1, checkedInAt: 1 })
      .lean<Pick<Registration, 'headcount' | 'checkedInAt'>[]>()
      .exec();
  }

  countWaiting(communityId: Types.ObjectId, activityId: Types.ObjectId): Promise<number> {
    return this.registrations.countDocuments({ communityId, activityId, status: RegistrationStatus.Waitlisted }).exec();
  }

  /** Registrations a stopped process left half done: pending, or cancelled with places still held. */
  unsettled(before: Date, limit: number): Promise<Registration[]> {
    return this.registrations
      .find(
        {
          $or: [
            { status: RegistrationStatus.Pending, registeredAt: { $lt: before } },
            { status: RegistrationStatus.Cancelled, seatReleased: false },
          ],
        },
        { outbox: 0 },
      )
      .limit(limit)
      .lean<Registration[]>()
      .exec();
  }

  /** The raw collection, for the outbox relay. */
  get collection(): Collection {
    return this.registrations.collection as unknown as Collection;
  }
}
