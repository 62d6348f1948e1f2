import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ImportIssue, ImportReportView, ImportStatus, Principal } from '@cg/contracts';
import { Schema as MongooseSchema, Types } from 'mongoose';

/**
 * One file of residents and owners submitted for import, and how its import went. A worker claims it with one
 * conditional update (queued, or running with an expired heartbeat) and every later write of the worker is
 * guarded by its claim, so a worker that lost its claim writes nothing more.
 */
@Schema({ collection: 'resident_imports', versionKey: false })
export class ImportJob {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  /** Name of the file in the UPLOADS object store; the file is removed when the import ends. */
  @Prop({ required: true }) upload: string;
  @Prop({ type: String, enum: ImportStatus, required: true }) status: ImportStatus;
  @Prop({ required: true }) rows: number;
  @Prop({ required: true }) bytes: number;
  /** Who submitted it, as authorised then: the rows are stored on their behalf, also after a restart. */
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) submitter: Principal;
  @Prop({ required: true }) submittedAt: Date;
  @Prop() startedAt?: Date;
  @Prop() finishedAt?: Date;
  @Prop({ required: true, default: 0 }) attempts: number;
  /** The claim of the worker running it now: a token of that worker's attempt. */
  @Prop() worker?: string;
  /** Renewed by the running worker; once it is older than the expiry, another worker may take the import over. */
  @Prop() heartbeatAt?: Date;
  @Prop({ type: MongooseSchema.Types.Mixed }) report?: ImportReportView;
  /** When rejected: the first problems (`errors` in the view; a reserved name in mongoose). */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: undefined }) issues?: ImportIssue[];
  @Prop() errorCount?: number;
  @Prop() message?: string;
}

export const ImportJobSchema = SchemaFactory.createForClass(ImportJob);
// Imports of a community, paginated by _id.
ImportJobSchema.index({ communityId: 1, _id: 1 });
// The workers' sweep for imports not finished (queued, or running with an expired heartbeat).
ImportJobSchema.index({ status: 1, heartbeatAt: 1 });
