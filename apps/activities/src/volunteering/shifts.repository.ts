import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { EventEnvelope, SignUpStatus } from '@cg/contracts';
import { CommunityFilter, pageFilter } from '@cg/persistence';
import { Collection } from 'mongodb';
import { Model, Types } from 'mongoose';
import { Shift } from './shift.schema';
import { SignUp } from './sign-up.schema';

@Injectable()
export class ShiftsRepository implements OnModuleInit {
  constructor(
    @InjectModel(Shift.name) private readonly shifts: Model<Shift>,
    @InjectModel(SignUp.name) private readonly signUps: Model<SignUp>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.shifts.createIndexes(), this.signUps.createIndexes()]);
  }

  async insertShift(shift: Shift): Promise<Shift> {
    return (await this.shifts.create(shift)).toObject();
  }

  findShift(filter: CommunityFilter<Shift>): Promise<Shift | null> {
    return this.shifts.findOne(filter).lean<Shift>().exec();
  }

  listShifts(filter: CommunityFilter<Shift>, cursor: string | undefined, limit: number): Promise<Shift[]> {
    return this.shifts.find({ ...filter, ...pageFilter(cursor) }).sort({ _id: 1 }).limit(limit + 1).lean<Shift[]>().exec();
  }

  countSignUps(communityId: Types.ObjectId, shiftIds: Types.ObjectId[]): Promise<{ _id: Types.ObjectId; n: number }[]> {
    return this.signUps
      .aggregate<{ _id: Types.ObjectId; n: number }>([
        { $match: { communityId, shiftId: { $in: shiftIds } } },
        { $group: { _id: '$shiftId', n: { $sum: 1 } } },
      ])
      .exec();
  }

  /** Null when the person already signed up for the shift. */
  async insertSignUp(signUp: SignUp): Promise<SignUp | null> {
    try {
      return (await this.signUps.create(signUp)).toObject();
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return null;
      throw error;
    }
  }

  findSignUp(filter: CommunityFilter<SignUp>): Promise<SignUp | null> {
    return this.signUps.findOne(filter, { outbox: 0 }).lean<SignUp>().exec();
  }

  listSignUps(filter: CommunityFilter<SignUp>, cursor: string | undefined, limit: number): Promise<SignUp[]> {
    return this.signUps
      .find({ ...filter, ...pageFilter(cursor) }, { outbox: 0 })
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<SignUp[]>()
      .exec();
  }

  /** Callers hold the shift's lock. */
  async stepSignUp(id: Types.ObjectId, from: SignUpStatus, set: Partial<SignUp>, event?: EventEnvelope): Promise<boolean> {
    const result = await this.signUps.updateOne({ _id: id, status: from }, { $set: set, ...(event && { $push: { outbox: event } }) });
    return result.modifiedCount === 1;
  }

  /** The raw sign-up collection, for the outbox relay. */
  get signUpCollection(): Collection {
    return this.signUps.collection as unknown as Collection;
  }
}
