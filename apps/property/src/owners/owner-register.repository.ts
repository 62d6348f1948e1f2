import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
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
      const result = await this.units.updateOne({ _id, revision: { $lt: unit.revision } }, { $set: fields }, { upsert: true });
      return result.modifiedCount + result.upsertedCount > 0;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
  }

  findUnit(communityId: Types.ObjectId, unitId: Types.ObjectId): Promise<RegisteredUnit | null> {
    return this.units.findOne({ communityId, _id: unitId }).lean<RegisteredUnit>().exec();
  }

  /** The whole register of a community, as needed to freeze an electorate. */
  listCommunity(communityId: Types.ObjectId): Promise<Pick<RegisteredUnit, '_id' | 'buildingId' | 'areaHundredths' | 'headcountKey' | 'voterPersonId'>[]> {
    return this.units
      .find({ communityId }, { buildingId: 1, areaHundredths: 1, headcountKey: 1, voterPersonId: 1 })
      .lean<RegisteredUnit[]>()
      .exec();
  }

  /** Summed here, not in the database: FerretDB v1 answers `$sum` over a field with 0. */
  async summary(communityId: Types.ObjectId): Promise<{ units: number; areaHundredths: bigint; owners: number }> {
    const rows = await this.units
      .find({ communityId }, { _id: 0, areaHundredths: 1, headcountKey: 1 })
      .lean<Pick<RegisteredUnit, 'areaHundredths' | 'headcountKey'>[]>()
      .exec();
    const area = rows.reduce((sum, row) => sum + BigInt(row.areaHundredths), 0n);
    return { units: rows.length, areaHundredths: area, owners: new Set(rows.map((row) => row.headcountKey)).size };
  }
}
