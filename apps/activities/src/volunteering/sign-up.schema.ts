import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { EventEnvelope, SignUpStatus } from '@cg/contracts';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

@Schema({ collection: 'shift_sign_ups', timestamps: true, versionKey: false })
export class SignUp {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) shiftId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) personId: Types.ObjectId;
  @Prop({ required: true }) personName: string;
  @Prop({ type: String, enum: SignUpStatus, required: true }) status: SignUpStatus;
  @Prop() confirmedBy?: string;
  @Prop() hoursHundredths?: number;
  @Prop() completedAt?: Date;
  @Prop({ required: true }) signedUpAt: Date;
  /** Events of the sign-up's steps, written by the same update as the step. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export type SignUpDocument = HydratedDocument<SignUp>;
export const SignUpSchema = SchemaFactory.createForClass(SignUp);
// One sign-up per person and shift.
SignUpSchema.index({ communityId: 1, shiftId: 1, personId: 1 }, { unique: true });
// The shift's sign-ups paginated by _id.
SignUpSchema.index({ communityId: 1, shiftId: 1, _id: 1 });
