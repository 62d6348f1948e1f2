import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { EventEnvelope } from '@cg/contracts';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

/**
 * The end of a staff assignment, keyed `<assignmentId>:ended`. Inserting it is the claim: of two people ending
 * one assignment at once exactly one wins. Written once, with the "ended" event in its outbox.
 */
@Schema({ collection: 'staff_ends', versionKey: false })
export class StaffEnd {
  @Prop({ type: String }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) assignmentId: Types.ObjectId;
  @Prop({ required: true }) until: Date;
  @Prop({ required: true }) at: Date;
  @Prop({ required: true }) by: string;
  @Prop() note?: string;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export type StaffEndDocument = HydratedDocument<StaffEnd>;
export const StaffEndSchema = SchemaFactory.createForClass(StaffEnd);
// The outbox relay's sweep for unpublished events.
StaffEndSchema.index({ 'outbox.id': 1 });

export function staffEndId(assignmentId: Types.ObjectId | string): string {
  return `${String(assignmentId)}:ended`;
}
