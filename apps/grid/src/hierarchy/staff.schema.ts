import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { EventEnvelope, GridPosition } from '@cg/contracts';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

/**
 * A person holding a position at a node from a date; `until` set when it ends, so history stays. Written with its
 * "assigned" event in `outbox`; ending it is one update guarded by `endedAt` being absent, carrying the "ended" event.
 */
@Schema({ collection: 'staff_assignments', timestamps: true, versionKey: false })
export class StaffAssignment {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) nodeId: Types.ObjectId;
  @Prop({ type: String, enum: GridPosition, required: true }) position: GridPosition;
  @Prop({ required: true }) name: string;
  @Prop({ type: Types.ObjectId }) personId?: Types.ObjectId;
  /** The app account the staff member signs in with. */
  @Prop() accountId?: string;
  /**
   * `<nodeId>:<position>` for a position one person holds at a time (a grid's head), while this term holds it: the
   * unique index lets one such term in; a term that ends before the next one starts gives the seat up.
   */
  @Prop() seat?: string;
  @Prop() phone?: string;
  @Prop() department?: string;
  @Prop({ required: true }) since: Date;
  @Prop() until?: Date;
  /** When someone ended the assignment (its `until` may be planned later); absent while nobody has. */
  @Prop() endedAt?: Date;
  @Prop() endedBy?: string;
  @Prop() endNote?: string;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox?: EventEnvelope[];
}

export type StaffAssignmentDocument = HydratedDocument<StaffAssignment>;
export const StaffAssignmentSchema = SchemaFactory.createForClass(StaffAssignment);
// Who holds positions at these nodes today.
StaffAssignmentSchema.index({ communityId: 1, nodeId: 1, until: 1 });
// One holder at a time of a single-holder position.
StaffAssignmentSchema.index({ seat: 1 }, { unique: true, sparse: true });
// Where one person or account holds terms: the cases a grid worker may handle.
StaffAssignmentSchema.index({ communityId: 1, personId: 1 });
StaffAssignmentSchema.index({ communityId: 1, accountId: 1 });
// Every assignment of a community (or of one node) in _id order: the staff list and its history.
StaffAssignmentSchema.index({ communityId: 1, nodeId: 1, _id: 1 });
