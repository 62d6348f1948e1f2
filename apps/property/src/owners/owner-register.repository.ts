import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { insertAbsent } from '@cg/persistence';
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

  /**
   * Many unit versions at once, as an import publishes them: the latest version of each unit in the batch; units
   * not yet on the register in one insert, the others one by one and only where newer than stored.
   */
  async applyManyIfNewer(units: RegisteredUnit[]): Promise<void> {
    const latest = new Map<string, RegisteredUnit>();
    for (const unit of units) {
      const had = latest.get(String(unit._id));
      if (!had || had.revision < unit.revision) latest.set(String(unit._id), unit);
    }
    const batch = [...latest.values()];
    const refused = await insertAbsent(this.units.collection, batch);
    if (refused.size === 0) return;
    const known = batch.filter((_, i) => refused.has(i));
    const stored = await this.units
      .find({ _id: { $in: known.map((u) => u._id) } }, { revision: 1 })
      .lean<Pick<RegisteredUnit, '_id' | 'revision'>[]>()
      .exec();
    const revisionOf = new Map(stored.map((u) => [String(u._id), u.revision]));
    for (const unit of known) {
      if ((revisionOf.get(String(unit._id)) ?? -1) < unit.revision) await this.applyIfNewer(unit);
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
