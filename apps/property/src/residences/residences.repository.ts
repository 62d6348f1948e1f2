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

  findInCommunity(communityId: Types.ObjectId, personId: Types.ObjectId): Promise<Residence | null> {
    return this.residences.findOne({ _id: personId, communityId }).lean<Residence>().exec();
  }
}
