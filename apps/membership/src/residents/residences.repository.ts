import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Collection } from 'mongodb';
import { Model, Types } from 'mongoose';
import { BuildingGrid, CurrentResidence, ResidenceChange } from './residence.schema';

export const changeId = (personId: Types.ObjectId | string, revision: number) => `${String(personId)}:${revision}`;

function isDuplicateKey(error: unknown): boolean {
  const e = error as { code?: number; writeErrors?: { code?: number }[] };
  return e.code === 11000 || (Array.isArray(e.writeErrors) && e.writeErrors.some((w) => w.code === 11000));
}

@Injectable()
export class ResidencesRepository implements OnModuleInit {
  constructor(
    @InjectModel(ResidenceChange.name) private readonly changes: Model<ResidenceChange>,
    @InjectModel(CurrentResidence.name) private readonly current: Model<CurrentResidence>,
    @InjectModel(BuildingGrid.name) private readonly buildingGrids: Model<BuildingGrid>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.changes.createIndexes(), this.current.createIndexes(), this.buildingGrids.createIndexes()]);
  }

  /** Stores a change with its events; false when this revision of the person is already taken. */
  async insertChange(change: ResidenceChange): Promise<boolean> {
    try {
      await this.changes.create(change);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  findChange(personId: Types.ObjectId, revision: number): Promise<ResidenceChange | null> {
    return this.changes.findOne({ _id: changeId(personId, revision) }, { outbox: 0 }).lean<ResidenceChange>().exec();
  }

  historyOf(communityId: Types.ObjectId, personId: Types.ObjectId): Promise<ResidenceChange[]> {
    return this.changes
      .find({ communityId, personId }, { outbox: 0 })
      .sort({ revision: 1 })
      .lean<ResidenceChange[]>()
      .exec();
  }

  findCurrent(personId: Types.ObjectId): Promise<CurrentResidence | null> {
    return this.current.findOne({ _id: personId }).lean<CurrentResidence>().exec();
  }

  findCurrentMany(personIds: Types.ObjectId[]): Promise<CurrentResidence[]> {
    if (personIds.length === 0) return Promise.resolve([]);
    return this.current.find({ _id: { $in: personIds } }).lean<CurrentResidence[]>().exec();
  }

  /** Callers hold the person's lock and pass the state of the person's latest change. */
  async saveCurrent(residence: CurrentResidence): Promise<void> {
    await this.current.replaceOne({ _id: residence._id }, residence, { upsert: true }).exec();
  }

  /** People who have moved and whose latest copy places them in the unit, or the building. */
  movedInto(communityId: Types.ObjectId, place: { unitId: Types.ObjectId } | { buildingId: Types.ObjectId }): Promise<CurrentResidence[]> {
    return this.current.find({ communityId, ...place }).lean<CurrentResidence[]>().exec();
  }

  findBuildingGrid(buildingId: Types.ObjectId): Promise<BuildingGrid | null> {
    return this.buildingGrids.findOne({ _id: buildingId }).lean<BuildingGrid>().exec();
  }

  /** Callers hold the building's lock. */
  async saveBuildingGrid(grid: BuildingGrid): Promise<void> {
    await this.buildingGrids.replaceOne({ _id: grid._id }, grid, { upsert: true }).exec();
  }

  /** The raw change collection, for the outbox relay. */
  get changeCollection(): Collection {
    return this.changes.collection as unknown as Collection;
  }
}
