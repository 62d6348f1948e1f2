import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ActivityStatus, ActivityType, EventEnvelope, OrganiserKind } from '@cg/contracts';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';
import { AudienceRule } from './registration-rules';

@Schema({ collection: 'activities', timestamps: true, versionKey: false })
export class Activity {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ required: true }) title: string;
  @Prop({ type: String, enum: ActivityType, required: true }) type: ActivityType;
  @Prop() description?: string;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) organiser: { kind: OrganiserKind; name: string };
  @Prop({ required: true }) place: string;
  @Prop({ required: true }) startsAt: Date;
  @Prop({ required: true }) endsAt: Date;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) audience: AudienceRule;
  /** Places, counted in people. */
  @Prop({ required: true }) capacity: number;
  /** Places not yet held; only ever changed together with `seatHolders`, in one conditional update. */
  @Prop({ required: true }) seatsLeft: number;
  /** Registrations holding places (one live registration per person): taking and releasing places is idempotent. */
  @Prop({ type: [Types.ObjectId], default: [] }) seatHolders: Types.ObjectId[];
  @Prop({ required: true }) registrationOpensAt: Date;
  @Prop({ required: true }) registrationClosesAt: Date;
  @Prop({ required: true }) familyMembersAllowed: boolean;
  @Prop() coverUrl?: string;
  @Prop({ type: String, enum: ActivityStatus, required: true }) status: ActivityStatus;
  @Prop() publishedAt?: Date;
  @Prop({ required: true }) createdBy: string;
  /** The last waiting-list position handed out; each position is the value before one `$inc`, plus one. */
  @Prop({ required: true, default: 0 }) waitingSeq: number;
  /** Events of status changes, written by the same update as the change; taking places writes none here. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export type ActivityDocument = HydratedDocument<Activity>;
export const ActivitySchema = SchemaFactory.createForClass(Activity);
// Activities of a community by status, paginated by _id.
ActivitySchema.index({ communityId: 1, status: 1, _id: 1 });
