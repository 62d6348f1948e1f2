import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { GridPosition } from '@cg/contracts';
import { HydratedDocument, Types } from 'mongoose';

/** A person holding a position at a node from a date; `until` set when it ends, so history stays. */
@Schema({ collection: 'staff_assignments', timestamps: true, versionKey: false })
export class StaffAssignment {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) nodeId: Types.ObjectId;
  @Prop({ type: String, enum: GridPosition, required: true }) position: GridPosition;
  @Prop({ required: true }) name: string;
  @Prop({ type: Types.ObjectId }) personId?: Types.ObjectId;
  @Prop() phone?: string;
  @Prop() department?: string;
  @Prop({ required: true }) since: Date;
  @Prop() until?: Date;
}

export type StaffAssignmentDocument = HydratedDocument<StaffAssignment>;
export const StaffAssignmentSchema = SchemaFactory.createForClass(StaffAssignment);
// Who holds positions at these nodes today.
StaffAssignmentSchema.index({ communityId: 1, nodeId: 1, until: 1 });
