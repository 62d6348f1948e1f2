import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ClaimantKind, EventEnvelope, MicroWishCategory, MicroWishStatus } from '@cg/contracts';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

export interface Claimant {
  kind: ClaimantKind;
  name: string;
  personId?: string;
  /** The account that claimed it, and so may mark it fulfilled. */
  accountId: string;
  claimedAt: Date;
}

/** 微心愿: a small, concrete wish of a resident, claimed and fulfilled by an enterprise, unit or party member. */
@Schema({ collection: 'micro_wishes', timestamps: true, versionKey: false })
export class MicroWish {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) residentPersonId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) gridId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) buildingId: Types.ObjectId;
  @Prop({ required: true }) what: string;
  @Prop({ required: true }) why: string;
  @Prop({ required: true }) neededBy: string;
  @Prop({ type: String, enum: MicroWishCategory, required: true }) category: MicroWishCategory;
  @Prop({ type: [String], default: [] }) photoUrls: string[];
  @Prop({ type: String, enum: MicroWishStatus, required: true }) status: MicroWishStatus;
  @Prop() reviewedBy?: string;
  @Prop() rejectionReason?: string;
  @Prop() expiresAt?: Date;
  @Prop({ type: MongooseSchema.Types.Mixed }) claimant?: Claimant;
  @Prop() fulfilledAt?: Date;
  @Prop() fulfilmentNote?: string;
  @Prop() closedAt?: Date;
  @Prop() residentNote?: string;
  @Prop({ required: true }) postedAt: Date;
  /** Events of the wish's steps, written by the same update as the step. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export type MicroWishDocument = HydratedDocument<MicroWish>;
export const MicroWishSchema = SchemaFactory.createForClass(MicroWish);
// The board and the staff lists: a community's wishes by status, grid and category, paginated by _id.
MicroWishSchema.index({ communityId: 1, status: 1, gridId: 1, category: 1, _id: 1 });
// The expiry sweep, across communities: approved wishes past their claim deadline.
MicroWishSchema.index({ status: 1, expiresAt: 1 });
// A resident's own wishes ("mine"), paginated by _id.
MicroWishSchema.index({ communityId: 1, residentPersonId: 1, _id: 1 });
