import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ImportStatus } from '@cg/contracts';
import { pageFilter } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { ImportJob } from './import-job.schema';

@Injectable()
export class ImportJobsRepository implements OnModuleInit {
  constructor(@InjectModel(ImportJob.name) private readonly jobs: Model<ImportJob>) {}

  async onModuleInit(): Promise<void> {
    await this.jobs.createIndexes();
  }

  async insert(job: ImportJob): Promise<ImportJob> {
    return (await this.jobs.create(job)).toObject();
  }

  find(communityId: Types.ObjectId, id: Types.ObjectId): Promise<ImportJob | null> {
    return this.jobs.findOne({ _id: id, communityId }).lean<ImportJob>().exec();
  }

  findById(id: Types.ObjectId): Promise<ImportJob | null> {
    return this.jobs.findOne({ _id: id }).lean<ImportJob>().exec();
  }

  list(communityId: Types.ObjectId, cursor: string | undefined, limit: number): Promise<ImportJob[]> {
    return this.jobs
      .find({ communityId, ...pageFilter(cursor) }, { submitter: 0, issues: 0 })
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<ImportJob[]>()
      .exec();
  }

  /** Imports nobody finished: queued ones, and running ones whose worker may have stopped. */
  async unfinished(): Promise<Types.ObjectId[]> {
    const found = await this.jobs
      .find({ status: { $in: [ImportStatus.Queued, ImportStatus.Running] } }, { _id: 1 })
      .lean<{ _id: Types.ObjectId }[]>()
      .exec();
    return found.map((j) => j._id);
  }

  /** Called only by the worker that holds the import's lease. */
  async update(id: Types.ObjectId, set: Partial<ImportJob>): Promise<void> {
    await this.jobs.updateOne({ _id: id }, { $set: set }).exec();
  }
}
