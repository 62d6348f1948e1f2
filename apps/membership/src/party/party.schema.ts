import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { DualRegistrationStatus, PartyMemberStatus, ServiceKind, ServicePost } from '@cg/contracts';
import { Types } from 'mongoose';

/** A party member living in the community, with their dual registration (双报到) and the posts they claimed. */
@Schema({ collection: 'party_members', timestamps: true, versionKey: false })
export class PartyMember {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) personId: Types.ObjectId;
  @Prop({ required: true }) name: string;
  @Prop({ required: true }) workplaceOrganisation: string;
  @Prop({ required: true }) joinedOn: string;
  @Prop({ type: String, enum: PartyMemberStatus, required: true }) status: PartyMemberStatus;
  /** The building party group is the building's: one group per building. */
  @Prop({ type: Types.ObjectId, required: true }) buildingId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) gridId: Types.ObjectId;
  @Prop({ type: String, enum: DualRegistrationStatus, default: DualRegistrationStatus.None })
  registration: DualRegistrationStatus;
  @Prop() requestedAt?: Date;
  @Prop() decidedAt?: Date;
  @Prop() decidedBy?: string;
  @Prop() decisionNote?: string;
  @Prop({ type: [String], default: [] }) posts: ServicePost[];
}

export const PartyMemberSchema = SchemaFactory.createForClass(PartyMember);
// One record per member and community.
PartyMemberSchema.index({ communityId: 1, personId: 1 }, { unique: true });
// Members of a community, paginated by _id.
PartyMemberSchema.index({ communityId: 1, _id: 1 });
// Members by registration status (the staff's approval queue), paginated by _id.
PartyMemberSchema.index({ communityId: 1, registration: 1, _id: 1 });

/** One service a member did for the community; `sourceEventId` is unique so a redelivered event logs once. */
@Schema({
  collection: 'party_service_log',
  timestamps: { createdAt: 'recordedAt', updatedAt: false },
  versionKey: false,
})
export class ServiceRecord {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) personId: Types.ObjectId;
  @Prop({ type: String, enum: ServiceKind, required: true }) kind: ServiceKind;
  @Prop({ type: String, enum: ServicePost }) post?: ServicePost;
  @Prop({ required: true }) description: string;
  @Prop({ required: true }) hoursHundredths: number;
  @Prop({ required: true }) occurredAt: Date;
  @Prop({ required: true }) sourceEventId: string;
  @Prop({ required: true }) recordedBy: string;
}

export const ServiceRecordSchema = SchemaFactory.createForClass(ServiceRecord);
// Idempotency: one record per source event or staff entry.
ServiceRecordSchema.index({ communityId: 1, sourceEventId: 1 }, { unique: true });
// A member's services in a period, for the report.
ServiceRecordSchema.index({ communityId: 1, personId: 1, occurredAt: 1 });
