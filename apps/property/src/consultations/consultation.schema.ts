import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ConsultationStatus, EventEnvelope, PartnerDomain } from '@cg/contracts';
import { Schema as MongooseSchema, Types } from 'mongoose';

/** The owners' committee asks a community partner (社区合伙人) for an expert opinion. */
@Schema({ collection: 'consultations', versionKey: false })
export class Consultation {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ required: true }) partnerPersonId: string;
  @Prop({ type: String, enum: PartnerDomain, required: true }) domain: PartnerDomain;
  @Prop({ required: true }) question: string;
  @Prop({ type: [String], default: [] }) documents: string[];
  @Prop({ required: true }) dueAt: Date;
  @Prop({ required: true }) askedBy: string;
  @Prop({ required: true }) askedAt: Date;
  @Prop({ type: String, enum: ConsultationStatus, required: true }) status: ConsultationStatus;
  /** Every step moves it on by one, from the version it read (claimed in step_claims). */
  @Prop({ required: true }) version: number;
  @Prop({ type: MongooseSchema.Types.Mixed }) answer?: { text: string; documents: string[]; answeredAt: Date };
  @Prop({ type: MongooseSchema.Types.Mixed }) decision?: { adopted: boolean; reasons: string; decidedBy: string; decidedAt: Date };
  /** Events caused by this document's changes, written with them and cleared once published. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export const ConsultationSchema = SchemaFactory.createForClass(Consultation);
// Consultations of a community, by status, paginated by _id.
ConsultationSchema.index({ communityId: 1, status: 1, _id: 1 });
// A partner's consultations, paginated by _id.
ConsultationSchema.index({ communityId: 1, partnerPersonId: 1, _id: 1 });
// The outbox relay's sweep for unpublished events.
ConsultationSchema.index({ 'outbox.id': 1 });

/**
 * One of a partner's places for consultations waiting for an answer: `_id` is `<communityId>:<personId>:<n>` with
 * n below the capacity, so the unique key, not a counter, decides who gets the last place.
 */
@Schema({ collection: 'partner_slots', versionKey: false })
export class PartnerSlot {
  @Prop({ type: String }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ required: true }) personId: string;
  @Prop({ type: Types.ObjectId, required: true }) consultationId: Types.ObjectId;
  @Prop({ required: true }) takenAt: Date;
}

export const PartnerSlotSchema = SchemaFactory.createForClass(PartnerSlot);
// The places a partner holds now.
PartnerSlotSchema.index({ communityId: 1, personId: 1 });
