import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { EventEnvelope, RegistrationStatus } from '@cg/contracts';
import { CommunityFilter, pageFilter } from '@cg/persistence';
import { Collection } from 'mongodb';
import { Model, Types } from 'mongoose';
import { ChangeJournal, ChangeRecord } from './change-journal';
import { Registration } from './registration.schema';

/** The model name of the registrations' change journal (collection `registration_changes`). */
export const REGISTRATION_CHANGES = 'RegistrationChange';

@Injectable()
export class RegistrationsRepository implements OnModuleInit {
  /** Status changes and check-ins, each with its event; the registration itself carries no outbox. */
  readonly journal: ChangeJournal<Registration>;

  constructor(
    @InjectModel(Registration.name) private readonly registrations: Model<Registration>,
    @InjectModel(REGISTRATION_CHANGES) changes: Model<ChangeRecord>,
  ) {
    this.journal = new ChangeJournal(changes, registrations, (id) => this.findById(id));
  }

  async onModuleInit(): Promise<void> {
    await this.registrations.createIndexes();
    await this.journal.createIndexes();
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

  /**
   * Applies the change only while the registration is still as read (same version), with its event in the change's
   * own record; the record's id, or undefined when the registration had moved on (see ChangeJournal for the order).
   */
  transition(current: Registration, set: Partial<Registration>, event: EventEnvelope): Promise<string | undefined> {
    return this.journal.commit(current, set, [event]);
  }

  /** The registration with any change a stopped writer claimed but did not apply applied. Callers hold its lock. */
  catchUp(current: Registration): Promise<Registration> {
    return this.journal.catchUp(current);
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

  /** The raw journal collection, for the outbox relay. */
  get changeCollection(): Collection {
    return this.journal.collection;
  }
}
