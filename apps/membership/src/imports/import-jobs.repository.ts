import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ImportStatus, Page } from '@cg/contracts';
import { insertOnce, paginate } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { ImportJob } from './import-job.schema';

@Injectable()
export class ImportJobsRepository implements OnModuleInit {
  constructor(@InjectModel(ImportJob.name) private readonly jobs: Model<ImportJob>) {}

  async onModuleInit(): Promise<void> {
    await this.jobs.createIndexes();
  }

  /** A new job; a retried submission answers the job it made (`created` false). */
  insert(job: ImportJob): Promise<{ doc: ImportJob; created: boolean }> {
    return insertOnce(this.jobs, job);
  }

  find(communityId: Types.ObjectId, id: Types.ObjectId): Promise<ImportJob | null> {
    return this.jobs.findOne({ _id: id, communityId }).lean<ImportJob>().exec();
  }

  list(communityId: Types.ObjectId, cursor: string | undefined, limit: number): Promise<Page<ImportJob>> {
    return paginate(this.jobs, { communityId }, { cursor, limit }, (j) => j, { submitter: 0, issues: 0 });
  }

  /** Imports a worker may claim now: queued ones, and running ones whose worker has not been heard of since `expired`. */
  async claimable(expired: Date): Promise<Types.ObjectId[]> {
    const found = await this.jobs
      .find(
        { $or: [{ status: ImportStatus.Queued }, { status: ImportStatus.Running, heartbeatAt: { $lt: expired } }] },
        { _id: 1 },
      )
      .lean<{ _id: Types.ObjectId }[]>()
      .exec();
    return found.map((j) => j._id);
  }

  /**
   * Claims the import for `worker` if it is queued or its running worker's heartbeat is older than `expired`: one
   * conditional update decides between workers. Answers the import as it was before the claim, or null when
   * another worker has it (or it has ended).
   */
  claim(id: Types.ObjectId, worker: string, now: Date, expired: Date): Promise<ImportJob | null> {
    return this.jobs
      .findOneAndUpdate(
        { _id: id, $or: [{ status: ImportStatus.Queued }, { status: ImportStatus.Running, heartbeatAt: { $lt: expired } }] },
        { $set: { status: ImportStatus.Running, worker, heartbeatAt: now }, $inc: { attempts: 1 }, $min: { startedAt: now } },
        { returnDocument: 'before' },
      )
      .lean<ImportJob>()
      .exec();
  }

  /** Renews the worker's heartbeat; false when the worker no longer holds the import. */
  async beat(id: Types.ObjectId, worker: string, now: Date): Promise<boolean> {
    const result = await this.jobs
      .updateOne({ _id: id, worker, status: ImportStatus.Running }, { $set: { heartbeatAt: now } })
      .exec();
    return result.matchedCount === 1;
  }

  /** Ends the worker's claim with `set` (a final outcome, or back to queued); false when it no longer held it. */
  async release(id: Types.ObjectId, worker: string, set: Partial<ImportJob>): Promise<boolean> {
    const result = await this.jobs
      .updateOne({ _id: id, worker, status: ImportStatus.Running }, { $set: set, $unset: { worker: 1, heartbeatAt: 1 } })
      .exec();
    return result.modifiedCount === 1;
  }
}
