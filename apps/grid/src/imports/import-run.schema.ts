import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Types } from 'mongoose';

/**
 * One import of a file. Written before the first node and finished after the last; every node it writes
 * carries its id, so a run the process never finished is undone by the next import of the community.
 */
@Schema({ collection: 'import_runs', versionKey: false })
export class ImportRun {
  @Prop({ type: String }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ required: true }) by: string;
  @Prop({ required: true }) format: string;
  @Prop({ required: true }) rows: number;
  @Prop({ required: true }) startedAt: Date;
  @Prop() finishedAt?: Date;
  /** done, failed (written nodes deleted at once) or undone (deleted by a later import). */
  @Prop() outcome?: string;
}

export type ImportRunDocument = HydratedDocument<ImportRun>;
export const ImportRunSchema = SchemaFactory.createForClass(ImportRun);
// Unfinished runs of a community, undone before its next import.
ImportRunSchema.index({ communityId: 1, finishedAt: 1 });
