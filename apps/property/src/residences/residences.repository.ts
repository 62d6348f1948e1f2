import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Residence } from './residence.schema';

@Injectable()
export class ResidencesRepository implements OnModuleInit {
  constructor(@InjectModel(Residence.name) private readonly residences: Model<Residence>) {}

  async onModuleInit(): Promise<void> {
    await this.residences.createIndexes();
  }

  /** The first registration of a person is kept; a redelivered event changes nothing. */
  async recordOnce(residence: Residence): Promise<void> {
    const { _id, ...fields } = residence;
    await this.residences.updateOne({ _id }, { $setOnInsert: fields }, { upsert: true });
  }

  /**
   * Replaces the person's record with a later revision of their residence; an older or repeated one changes
   * nothing. Callers hold the person's lock, since the read and the write here are two steps.
   */
  async applyRevision(record: Residence): Promise<boolean> {
    const stored = await this.residences.findOne({ _id: record._id }, { revision: 1 }).lean<Pick<Residence, 'revision'>>().exec();
    if (stored && (stored.revision ?? 0) >= (record.revision ?? 0)) return false;
    await this.residences.replaceOne({ _id: record._id }, record, { upsert: true }).exec();
    return true;
  }

  /** Where the person lives, unless they have moved out. */
  findInCommunity(communityId: Types.ObjectId, personId: Types.ObjectId): Promise<Residence | null> {
    return this.residences.findOne({ _id: personId, communityId, leftAt: { $exists: false } }).lean<Residence>().exec();
  }
}
