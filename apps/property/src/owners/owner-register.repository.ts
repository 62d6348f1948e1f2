import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { findOneById, isDuplicateKey } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { RegisteredUnit } from './registered-unit.schema';

@Injectable()
export class OwnerRegisterRepository implements OnModuleInit {
  constructor(@InjectModel(RegisteredUnit.name) private readonly units: Model<RegisteredUnit>) {}

  async onModuleInit(): Promise<void> {
    await this.units.createIndexes();
  }

  /**
   * Writes this version of a unit only if it is newer than the stored one. An older or repeated version
   * matches no document, so the upsert tries to insert an existing `_id` and the unique key refuses it.
   */
  async applyIfNewer(unit: RegisteredUnit): Promise<boolean> {
    const { _id, ...fields } = unit;
    try {
      const result = await this.units.updateOne(
        { _id, revision: { $lt: unit.revision } },
        { $set: fields },
        { upsert: true },
      );
      return result.modifiedCount + result.upsertedCount > 0;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Many unit versions at once, as an import publishes them: each unit's latest version in the batch, where newer than stored. */
  async applyManyIfNewer(units: RegisteredUnit[]): Promise<void> {
    const latest = new Map<string, RegisteredUnit>();
    for (const unit of units) {
      const had = latest.get(String(unit._id));
      if (!had || had.revision < unit.revision) latest.set(String(unit._id), unit);
    }
    if (latest.size === 0) return;
    try {
      await this.units.bulkWrite(
        [...latest.values()].map(({ _id, ...fields }) => ({
          updateOne: {
            filter: { _id, revision: { $lt: fields.revision } },
            update: { $set: fields },
            upsert: true,
          },
        })),
        { ordered: false },
      );
    } catch (error) {
      // A unit already stored at this revision or later refuses its upsert by the unique `_id`; the others went in.
      const failed = error as { writeErrors?: unknown[] };
      if (
        !Array.isArray(failed.writeErrors) ||
        failed.writeErrors.length === 0 ||
        !failed.writeErrors.every(isDuplicateKey)
      )
        throw error;
    }
  }

  findUnit(communityId: Types.ObjectId, unitId: Types.ObjectId): Promise<RegisteredUnit | null> {
    return findOneById<RegisteredUnit>(this.units, { communityId, _id: unitId });
  }

  /** The whole register of a community, as needed to freeze an electorate. */
  listCommunity(
    communityId: Types.ObjectId,
  ): Promise<
    Pick<RegisteredUnit, '_id' | 'buildingId' | 'areaHundredths' | 'headcountKey' | 'voterPersonId'>[]
  > {
    return this.units
      .find({ communityId }, { buildingId: 1, areaHundredths: 1, headcountKey: 1, voterPersonId: 1 })
      .lean<RegisteredUnit[]>()
      .exec();
  }

  /** Units, area and owners (distinct headcount keys) of the register, summed by the database. */
  async summary(
    communityId: Types.ObjectId,
  ): Promise<{ units: number; areaHundredths: bigint; owners: number }> {
    const owners = await this.units
      .aggregate<{ units: number; areaHundredths: number }>([
        { $match: { communityId } },
        { $group: { _id: '$headcountKey', units: { $sum: 1 }, areaHundredths: { $sum: '$areaHundredths' } } },
      ])
      .exec();
    return {
      units: owners.reduce((sum, o) => sum + o.units, 0),
      areaHundredths: owners.reduce((sum, o) => sum + BigInt(o.areaHundredths), 0n),
      owners: owners.length,
    };
  }
}
