import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Availability, PartnerDomain } from '@cg/contracts';
import { Types } from 'mongoose';

/** A resident offering professional advice as a community partner (社区合伙人). `_id` is the person id. */
@Schema({ collection: 'partners', timestamps: true, versionKey: false })
export class Partner {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ required: true }) name: string;
  @Prop({ type: [String], required: true }) domains: PartnerDomain[];
  @Prop({ type: [String], default: [] }) qualifications: string[];
  @Prop({ type: [String], default: [] }) availability: Availability[];
  @Prop({ required: true }) maxOpenConsultations: number;
  @Prop() introduction?: string;
  @Prop({ type: Types.ObjectId, required: true }) buildingId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) gridId: Types.ObjectId;
  updatedAt?: Date;
}

export const PartnerSchema = SchemaFactory.createForClass(Partner);
// Partners of a community, paginated by _id.
PartnerSchema.index({ communityId: 1, _id: 1 });
// Partners advising in one domain, paginated by _id.
PartnerSchema.index({ communityId: 1, domains: 1, _id: 1 });

/**
 * One consultation a partner gave, from property's completion event. Insert-only; the unique source event id
 * makes a redelivered event count once.
 */
@Schema({
  collection: 'partner_consultations',
  timestamps: { createdAt: 'recordedAt', updatedAt: false },
  versionKey: false,
})
export class PartnerConsultation {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ required: true }) personId: string;
  @Prop({ required: true }) consultationId: string;
  @Prop({ type: String, required: true }) domain: PartnerDomain;
  @Prop({ required: true }) completedAt: Date;
  @Prop() adopted?: boolean;
  @Prop() askedAt?: Date;
  @Prop() answeredAt?: Date;
  @Prop({ required: true }) sourceEventId: string;
}

export const PartnerConsultationSchema = SchemaFactory.createForClass(PartnerConsultation);
// Idempotency: one record per source event.
PartnerConsultationSchema.index({ communityId: 1, sourceEventId: 1 }, { unique: true });
// A partner's consultation history, paginated by _id, and its counts.
PartnerConsultationSchema.index({ communityId: 1, personId: 1, _id: 1 });
