import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ShiftSourceKind } from '@cg/contracts';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

/** A shift of a volunteer role, for an activity, a grid task or a school project. */
@Schema({ collection: 'volunteer_shifts', timestamps: true, versionKey: false })
export class Shift {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) source: { kind: ShiftSourceKind; id: string; title: string };
  @Prop({ required: true }) sourceId: string;
  @Prop({ required: true }) role: string;
  @Prop({ required: true }) startsAt: Date;
  @Prop({ required: true }) endsAt: Date;
  @Prop({ required: true }) headcount: number;
  /** Hours credited for the shift, in hundredths. */
  @Prop({ required: true }) hoursHundredths: number;
  @Prop({ required: true }) createdBy: string;
  /** People holding a place, at most `headcount`: a place is taken by one conditional update that appends here. */
  @Prop({ type: [Types.ObjectId], default: [] }) volunteers: Types.ObjectId[];
}

export type ShiftDocument = HydratedDocument<Shift>;
export const ShiftSchema = SchemaFactory.createForClass(Shift);
// Shifts of a community of one source, paginated by _id.
ShiftSchema.index({ communityId: 1, sourceId: 1, _id: 1 });
// All shifts of a community, paginated by _id.
ShiftSchema.index({ communityId: 1, _id: 1 });
