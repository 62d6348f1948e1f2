import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DomainException, ErrorCode } from '@cg/contracts';
import { CommunityFilter, pageFilter } from '@cg/persistence';
import { Collection } from 'mongodb';
import { Model, Types } from 'mongoose';
import { Resident } from './resident.schema';

@Injectable()
export class ResidentsRepository implements OnModuleInit {
  constructor(@InjectModel(Resident.name) private readonly residents: Model<Resident>) {}

  async onModuleInit(): Promise<void> {
    await this.residents.createIndexes();
  }

  /** The resident and the events it causes are written in one insert. */
  async insert(resident: Resident): Promise<Resident> {
    try {
      return (await this.residents.create(resident)).toObject();
    } catch (error) {
      if ((error as { code?: number }).code === 11000) {
        throw new DomainException(ErrorCode.ALREADY_REGISTERED, 'This phone number is already registered in this unit');
      }
      throw error;
    }
  }

  findOne(filter: CommunityFilter<Resident>): Promise<Resident | null> {
    return this.residents.findOne(filter, { outbox: 0 }).lean<Resident>().exec();
  }

  list(communityId: Types.ObjectId, cursor: string | undefined, limit: number): Promise<Resident[]> {
    return this.residents
      .find({ communityId, ...pageFilter(cursor) }, { outbox: 0 })
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<Resident[]>()
      .exec();
  }

  /** The raw collection, for the outbox relay. */
  get collection(): Collection {
    return this.residents.collection as unknown as Collection;
  }
}
