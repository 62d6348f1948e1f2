import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import { Model, Types } from 'mongoose';
import { BuildingMove } from './building-move.schema';

@Injectable()
export class BuildingMovesRepository implements OnModuleInit {
  constructor(@InjectModel(BuildingMove.name) private readonly moves: Model<BuildingMove>) {}

  async onModuleInit(): Promise<void> {
    await this.moves.createIndexes();
  }

  async insert(move: BuildingMove): Promise<void> {
    await this.moves.create(move);
  }

  async delete(id: Types.ObjectId): Promise<void> {
    await this.moves.deleteOne({ _id: id });
  }

  last(communityId: Types.ObjectId, buildingId: Types.ObjectId): Promise<BuildingMove | null> {
    return this.moves.findOne({ communityId, buildingId }, { outbox: 0 }).sort({ _id: -1 }).lean<BuildingMove>().exec();
  }

  /** Raw collection for the outbox relay: only the relay updates a move after it is written. */
  get collection(): Collection {
    return this.moves.collection as unknown as Collection;
  }
}
