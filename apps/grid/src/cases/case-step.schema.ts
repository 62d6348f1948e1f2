import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { CaseAction, EventEnvelope } from '@cg/contracts';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

/**
 * One step of a case, keyed `<caseId>:<version it starts from>` (or `<caseId>:filed`). Inserting it is the claim:
 * the unique key lets exactly one writer take a version, since the test database rewrites whole documents
 * without locking and so cannot arbitrate a conditional update. It carries the case as it becomes (to roll a
 * half-written step forward) and the events the step causes (the outbox its relay drains).
 */
@Schema({ collection: 'case_steps', versionKey: false })
export class CaseStep {
  @Prop({ type: String }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) caseId: Types.ObjectId;
  @Prop({ required: true }) version: number;
  @Prop({ type: String, enum: CaseAction, required: true }) action: CaseAction;
  @Prop({ required: true }) at: Date;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) snapshot: Record<string, unknown>;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export type CaseStepDocument = HydratedDocument<CaseStep>;
export const CaseStepSchema = SchemaFactory.createForClass(CaseStep);
// The outbox relay's sweep for unpublished events.
CaseStepSchema.index({ 'outbox.id': 1 });
