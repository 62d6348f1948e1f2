import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Residency } from './residency.schema';

@Injectable()
export class ResidencyRepository implements OnModuleInit {
  constructor(@InjectModel(Residency.name) private readonly residencies: Model<Residency>) {}

  async onModuleInit(): Promise<void> {
    await this.residencies.createIndexes();
  }

  /** Inserts once per person; a redelivered event finds the record and changes nothing. */
  async recordOnce(residency: Residency): Promise<void> {
    const { _id, ...fields } = residency;
    await this.residencies.updateOne({ _id }, { $setOnInsert: fields }, { upsert: true });
  }

  findForPerson(communityId: Types.ObjectId, personId: Types.ObjectId): Promise<Residency | null> {
    return this.residencies.findOne({ communityId, _id: personId }).lean<Residency>().exec();
  }
}
