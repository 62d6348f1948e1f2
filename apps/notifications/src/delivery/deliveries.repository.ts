import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isDuplicateKey } from '@cg/persistence';
import { Model, UpdateQuery } from 'mongoose';
import { Delivery, NoticePreferences } from './delivery.schema';

@Injectable()
export class DeliveriesRepository implements OnModuleInit {
  constructor(
    @InjectModel(Delivery.name) private readonly deliveries: Model<Delivery>,
    @InjectModel(NoticePreferences.name) private readonly preferences: Model<NoticePreferences>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.deliveries.createIndexes(), this.preferences.createIndexes()]);
  }

  preferencesOf(personId: string): Promise<NoticePreferences | null> {
    return this.preferences.findById(personId).lean<NoticePreferences>().exec();
  }

  /** People of the community with some channel on. */
  subscribersOf(communityId: string): Promise<NoticePreferences[]> {
    return this.preferences.find({ communityIds: communityId, outbound: true }).lean<NoticePreferences[]>().exec();
  }

  async savePreferences(personId: string, update: UpdateQuery<NoticePreferences>): Promise<NoticePreferences> {
    try {
      return (await this.preferences.findOneAndUpdate({ _id: personId }, update, { upsert: true, new: true }).lean<NoticePreferences>().exec())!;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return (await this.preferences.findOneAndUpdate({ _id: personId }, update, { new: true }).lean<NoticePreferences>().exec())!;
    }
  }

  /** True when this call stored it; false when it was there already (a redelivered event, another replica). */
  async insert(delivery: Delivery): Promise<boolean> {
    try {
      await this.deliveries.create(delivery);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  due(now: Date, limit: number): Promise<Delivery[]> {
    return this.deliveries
      .find({ status: 'pending', dueAt: { $lte: now }, leaseUntil: { $lte: now } }, { params: 0, link: 0 })
      .sort({ dueAt: 1 })
      .limit(limit)
      .lean<Delivery[]>()
      .exec();
  }

  /** Takes one due delivery for `claim` until `leaseUntil`; of senders racing for it, one gets it. */
  async claim(id: string, now: Date, leaseUntil: Date, claim: string): Promise<Delivery | null> {
    const result = await this.deliveries.updateOne(
      { _id: id, status: 'pending', dueAt: { $lte: now }, leaseUntil: { $lte: now } },
      { $set: { leaseUntil, claim } },
    );
    if (result.modifiedCount !== 1) return null;
    return this.deliveries.findOne({ _id: id, claim }).lean<Delivery>().exec();
  }

  /** Takes every due delivery of a digest for `claim`. */
  async claimDigest(digestKey: string, now: Date, leaseUntil: Date, claim: string): Promise<Delivery[]> {
    await this.deliveries.updateMany(
      { digestKey, status: 'pending', dueAt: { $lte: now }, leaseUntil: { $lte: now } },
      { $set: { leaseUntil, claim } },
    );
    return this.deliveries.find({ claim, status: 'pending' }).sort({ createdAt: 1 }).lean<Delivery[]>().exec();
  }

  async finish(claim: string, set: Partial<Delivery>): Promise<void> {
    await this.deliveries.updateMany({ claim, status: 'pending' }, { $set: set });
  }

  /** Back to pending at `dueAt`, counting a failed try when `error` is given. */
  async release(claim: string, dueAt: Date, error?: string): Promise<void> {
    await this.deliveries.updateMany(
      { claim, status: 'pending' },
      { $set: { dueAt, leaseUntil: dueAt, ...(error && { lastError: error }) }, $unset: { claim: 1 }, ...(error && { $inc: { attempts: 1 } }) },
    );
  }
}
