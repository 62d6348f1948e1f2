import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { EventEnvelope, HouseholdMemberDto, RegistrationStatus } from '@cg/contracts';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

@Schema({ collection: 'registrations', timestamps: true, versionKey: false })
export class Registration {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) activityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) personId: Types.ObjectId;
  @Prop({ required: true }) personName: string;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) members: HouseholdMemberDto[];
  @Prop({ required: true }) headcount: number;
  @Prop({ type: String, enum: RegistrationStatus, required: true }) status: RegistrationStatus;
  /** The person id while the registration is live, `cancelled:<id>` after: one live registration per person. */
  @Prop({ required: true }) holder: string;
  @Prop() queuePosition?: number;
  /** Unguessable, unique: the content of the check-in QR code. */
  @Prop({ required: true }) checkInCode: string;
  @Prop() checkedInAt?: Date;
  /** False between the cancellation of a confirmed registration and the release of its places (see the recovery sweep). */
  @Prop() seatReleased?: boolean;
  @Prop({ required: true }) registeredAt: Date;
  /** Events of the registration's changes, written by the same update as the change. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
  updatedAt?: Date;
}

export type RegistrationDocument = HydratedDocument<Registration>;
export const RegistrationSchema = SchemaFactory.createForClass(Registration);
// One live registration per person and activity (double registration is refused by this index).
RegistrationSchema.index({ communityId: 1, activityId: 1, holder: 1 }, { unique: true });
// The waiting list in order, the attendance counts by status, and the staff list filtered by status.
RegistrationSchema.index({ communityId: 1, activityId: 1, status: 1, queuePosition: 1 });
// Staff list of an activity's registrations, paginated by _id.
RegistrationSchema.index({ communityId: 1, activityId: 1, _id: 1 });
// Staff search by name.
RegistrationSchema.index({ communityId: 1, activityId: 1, personName: 1 });
// Check-in by scanned code; unique so a code names one registration.
RegistrationSchema.index({ communityId: 1, checkInCode: 1 }, { unique: true });
// The recovery sweep, across communities: registrations left pending, or cancelled with places not yet released.
RegistrationSchema.index({ status: 1, updatedAt: 1 });
