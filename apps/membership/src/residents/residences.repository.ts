import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { EventEnvelope } from '@cg/contracts';
import { pushEvents } from '@cg/messaging';
import { isDuplicateKey } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { BuildingGrid, Residence, ResidenceChange } from './residence.schema';

/** A person's residence after a change, without the change log and the outbox. */
export type ResidenceFields = Omit<Residence, 'changes' | 'outbox'>;

@Injectable()
export class ResidencesRepository implements OnModuleInit {
  constructor(
    @InjectModel(Residence.name) private readonly residences: Model<Residence>,
    @InjectModel(BuildingGrid.name) private readonly buildingGrids: Model<BuildingGrid>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.residences.createIndexes(), this.buildingGrids.createIndexes()]);
  }

  /**
   * Stores a change decided from revision `from`, with the residence after it and its event, in one write: an
   * update guarded by the revision, or the insert of the person's first change. False when another change took
   * this revision first.
   */
  async recordChange(from: number, next: ResidenceFields, change: ResidenceChange, event: EventEnvelope): Promise<boolean> {
    if (from === 0) {
      try {
        await this.residences.create({ ...next, changes: [change], outbox: [event] });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    }
    const { _id, ...fields } = next;
    const events = pushEvents(event);
    const result = await this.residences
      .updateOne({ _id, revision: from }, { $set: fields, $push: { changes: change, ...events.$push } })
      .exec();
    return result.modifiedCount === 1;
  }

  find(personId: Types.ObjectId): Promise<ResidenceFields | null> {
    return this.residences.findOne({ _id: personId }, { changes: 0, outbox: 0 }).lean<ResidenceFields>().exec();
  }

  async historyOf(communityId: Types.ObjectId, personId: Types.ObjectId): Promise<ResidenceChange[]> {
    const found = await this.residences
      .findOne({ _id: personId, communityId }, { changes: 1 })
      .lean<Pick<Residence, 'changes'>>()
      .exec();
    return found?.changes ?? [];
  }

  findMany(personIds: Types.ObjectId[]): Promise<ResidenceFields[]> {
    if (personIds.length === 0) return Promise.resolve([]);
    return this.residences.find({ _id: { $in: personIds } }, { changes: 0, outbox: 0 }).lean<ResidenceFields[]>().exec();
  }

  /** People who have moved and whose residence is (or was last) in the unit, or the building. */
  movedInto(communityId: Types.ObjectId, place: { unitId: Types.ObjectId } | { buildingId: Types.ObjectId }): Promise<ResidenceFields[]> {
    return this.residences.find({ communityId, ...place }, { changes: 0, outbox: 0 }).lean<ResidenceFields[]>().exec();
  }

  findBuildingGrid(buildingId: Types.ObjectId): Promise<BuildingGrid | null> {
    return this.buildingGrids.findOne({ _id: buildingId }).lean<BuildingGrid>().exec();
  }

  /**
   * Records that the building moved at `grid.movedAt` unless a later move is known: true when this move is now the
   * building's latest (stored now, or stored before and not yet applied to every resident).
   */
  async noteBuildingMove(grid: Omit<BuildingGrid, 'applied'>): Promise<boolean> {
    const { _id, ...fields } = grid;
    try {
      await this.buildingGrids
        .updateOne({ _id, movedAt: { $lt: grid.movedAt } }, { $set: { ...fields, applied: false } }, { upsert: true })
        .exec();
      return true;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const known = await this.findBuildingGrid(_id);
    return !!known && known.movedAt.getTime() === grid.movedAt.getTime() && !known.applied;
  }

  async markBuildingMoveApplied(buildingId: Types.ObjectId, movedAt: Date): Promise<void> {
    await this.buildingGrids.updateOne({ _id: buildingId, movedAt }, { $set: { applied: true } }).exec();
  }
}
