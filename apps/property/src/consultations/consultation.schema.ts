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
  /**
   * One of the partner's places for questions waiting for an answer, `<partnerPersonId>:<n>` with n below the
   * capacity, unique in the community: the insert of the question, not a counter, decides who gets the last place.
   * The step that answers or withdraws it frees the place by setting `closed:<_id>`.
   */
  @Prop({ required: true }) slot: string;
  @Prop({ type: MongooseSchema.Types.Mixed }) answer?: { text: string; documents: string[]; answeredAt: Date };
  @Prop({ type: MongooseSchema.Types.Mixed }) decision?: { adopted: boolean; reasons: string; decidedBy: string; decidedAt: Date };
  /** Events caused by this document's changes, written with them and cleared once published. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export const ConsultationSchema = SchemaFactory.createForClass(Consultation);
// Consultations of a community by status, paginated by _id (the committee's list).
ConsultationSchema.index({ communityId: 1, status: 1, _id: 1 });
// A partner's consultations, paginated by _id (the partner's list, and the places held when a question is asked).
ConsultationSchema.index({ communityId: 1, partnerPersonId: 1, _id: 1 });
// A partner's place is held by one waiting question at a time (sparse: questions stored before places existed have none).
ConsultationSchema.index({ communityId: 1, slot: 1 }, { unique: true, sparse: true });
