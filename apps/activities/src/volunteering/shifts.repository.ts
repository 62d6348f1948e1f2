import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { EventEnvelope, Page, SignUpStatus } from '@cg/contracts';
import { pushEvents } from '@cg/messaging';
import { CommunityFilter, PageRequest, findOneById, insertOnce, isDuplicateKey, paginate } from '@cg/persistence';
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

  /** Stores a new shift; a retried create answers the stored one. */
  async insertShift(shift: Shift): Promise<Shift> {
    return (await insertOnce(this.shifts, shift)).doc;
  }

  findShift(filter: CommunityFilter<Shift>): Promise<Shift | null> {
    return findOneById<Shift>(this.shifts, filter);
  }

  listShifts<V>(
    filter: CommunityFilter<Shift>,
    page: PageRequest,
    map: (shift: Shift) => V,
  ): Promise<Page<V>> {
    return paginate(this.shifts, filter, page, map);
  }

  /**
   * Gives the person a place if the shift has not started, has a place left and they hold none yet, in one
   * conditional update: "fewer than `headcount` volunteers" is "no volunteer at position headcount - 1".
   */
  async takePlace(
    shift: Pick<Shift, '_id' | 'headcount'>,
    personId: Types.ObjectId,
    now: Date,
  ): Promise<boolean> {
    const result = await this.shifts.updateOne(
      {
        _id: shift._id,
        startsAt: { $gt: now },
        [`volunteers.${shift.headcount - 1}`]: { $exists: false },
        volunteers: { $ne: personId },
      },
      { $push: { volunteers: personId } },
    );
    return result.modifiedCount === 1;
  }

  /** Whether the person holds a place: places are only ever added, so a yes stays true. */
  async holdsPlace(shiftId: Types.ObjectId, personId: Types.ObjectId): Promise<boolean> {
    return (await this.shifts.countDocuments({ _id: shiftId, volunteers: personId })) > 0;
  }

  /** Null when the person already signed up for the shift; a retried sign-up answers the stored one. */
  async insertSignUp(signUp: SignUp): Promise<SignUp | null> {
    try {
      return (await insertOnce(this.signUps, signUp)).doc;
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
  }

  findSignUp(filter: CommunityFilter<SignUp>): Promise<SignUp | null> {
    return findOneById<SignUp>(this.signUps, filter, { outbox: 0 });
  }

  listSignUps<V>(
    filter: CommunityFilter<SignUp>,
    page: PageRequest,
    map: (signUp: SignUp) => V,
  ): Promise<Page<V>> {
    return paginate(this.signUps, filter, page, map, { outbox: 0 });
  }

  /**
   * Moves the sign-up on from `from`, with its event, in one conditional update: the sign-up as it was just before
   * (the caller computes the after-state), or null when it was no longer in `from`.
   */
  stepSignUp(
    id: Types.ObjectId,
    from: SignUpStatus,
    set: Partial<SignUp>,
    event?: EventEnvelope,
  ): Promise<SignUp | null> {
    return this.signUps
      .findOneAndUpdate(
        { _id: id, status: from },
        { $set: set, ...(event && pushEvents(event)) },
        { returnDocument: 'before', projection: { outbox: 0 } },
      )
      .lean<SignUp>()
      .exec();
  }
}
