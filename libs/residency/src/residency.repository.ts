import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { insertAbsent, isDuplicateKey } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { replacedBy } from './residency.rules';
import { Residency } from './residency.schema';

@Injectable()
export class ResidencyRepository implements OnModuleInit {
  constructor(@InjectModel(Residency.name) private readonly residencies: Model<Residency>) {}

  async onModuleInit(): Promise<void> {
    await this.residencies.createIndexes();
  }

  /** Inserts once per person; a redelivered event, or one that arrives after a move, finds the record and changes nothing. */
  async recordOnce(residency: Residency): Promise<boolean> {
    const { _id, ...fields } = residency;
    const result = await this.residencies.updateOne({ _id }, { $setOnInsert: fields }, { upsert: true });
    return result.upsertedCount === 1;
  }

  /** `recordOnce` for many people in one insert; answers how many were new. */
  async recordMany(residencies: Residency[]): Promise<number> {
    const refused = await insertAbsent(this.residencies.collection, residencies);
    return residencies.length - refused.size;
  }

  /**
   * Replaces the person's record with a later revision of their residence in one conditional write; an older or
   * repeated one matches nothing, and its upsert meets the stored `_id` and changes nothing.
   */
  async applyRevision(record: Residency): Promise<boolean> {
    try {
      const result = await this.residencies
        .replaceOne({ _id: record._id, ...replacedBy(record) }, record, { upsert: true })
        .exec();
      return result.modifiedCount + result.upsertedCount === 1;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** The person's latest record in the community, also after they moved out (`leftAt` set). */
  findForPerson(communityId: Types.ObjectId, personId: Types.ObjectId): Promise<Residency | null> {
    return this.residencies.findOne({ communityId, _id: personId }).lean<Residency>().exec();
  }

  /** Where the person lives in the community now: null once they moved out. */
  findInCommunity(communityId: Types.ObjectId, personId: Types.ObjectId): Promise<Residency | null> {
    return this.residencies
      .findOne({ communityId, _id: personId, leftAt: { $exists: false } })
      .lean<Residency>()
      .exec();
  }

  async countByBuilding(communityId: Types.ObjectId): Promise<Map<string, number>> {
    const rows = await this.residencies
      .aggregate<{ _id: Types.ObjectId; count: number }>([
        { $match: { communityId, leftAt: { $exists: false } } },
        { $group: { _id: '$buildingId', count: { $sum: 1 } } },
      ])
      .exec();
    return new Map(rows.map((row) => [String(row._id), row.count]));
  }

  /** Residents of a building that moved take its new grid. */
  async moveBuilding(
    communityId: Types.ObjectId,
    buildingId: Types.ObjectId,
    gridId: Types.ObjectId,
  ): Promise<number> {
    return (await this.residencies.updateMany({ communityId, buildingId }, { $set: { gridId } }))
      .matchedCount;
  }
}
