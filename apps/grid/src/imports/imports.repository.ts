import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { ImportRun } from './import-run.schema';

@Injectable()
export class ImportRunsRepository implements OnModuleInit {
  constructor(@InjectModel(ImportRun.name) private readonly runs: Model<ImportRun>) {}

  async onModuleInit(): Promise<void> {
    await this.runs.createIndexes();
  }

  async start(run: ImportRun): Promise<void> {
    await this.runs.create(run);
  }

  async finish(id: string, outcome: 'done' | 'failed' | 'undone'): Promise<void> {
    await this.runs.updateOne({ _id: id }, { $set: { finishedAt: new Date(), outcome } });
  }

  unfinished(communityId: Types.ObjectId): Promise<ImportRun[]> {
    return this.runs
      .find({ communityId, $or: [{ finishedAt: { $exists: false } }, { finishedAt: null }] })
      .lean<ImportRun[]>()
      .exec();
  }
}
