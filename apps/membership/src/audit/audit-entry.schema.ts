import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, Types } from 'mongoose';

/** What an audit entry is about. */
export interface AuditObject {
  kind: string;
  id: string;
}

/** One audited action, append-only: `_id` is the event id (or the reveal id), so a redelivered event is stored once. */
@Schema({ collection: 'audit_entries', versionKey: false })
export class AuditEntry {
  @Prop({ type: String }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ required: true }) at: Date;
  /** Account id of who acted. */
  @Prop({ required: true }) actor: string;
  /** The event type, or the reveal's action. */
  @Prop({ required: true }) action: string;
  @Prop({ type: { kind: String, id: String }, _id: false, required: true }) object: AuditObject;
  @Prop({ required: true }) summary: string;
  @Prop({ type: MongooseSchema.Types.Mixed }) details?: Record<string, unknown>;
}

export const AuditEntrySchema = SchemaFactory.createForClass(AuditEntry);
// The audit log of a community, newest first.
AuditEntrySchema.index({ communityId: 1, at: -1, _id: -1 });
// The history of one object.
AuditEntrySchema.index({ communityId: 1, 'object.kind': 1, 'object.id': 1, at: -1 });
// What one account did.
AuditEntrySchema.index({ communityId: 1, actor: 1, at: -1 });
// An account's reveals in the last hour, for its rate limit (across communities).
AuditEntrySchema.index({ actor: 1, action: 1, at: 1 });
