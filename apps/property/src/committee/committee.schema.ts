import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { CommitteeRole, EventEnvelope, TermSource } from '@cg/contracts';
import { Schema as MongooseSchema, Types } from 'mongoose';

export interface TermMember {
  personId: string;
  name: string;
  role: CommitteeRole;
  /** Elected members: owners who voted for them and their area in hundredths of a m². */
  votes?: { owners: number; areaHundredths: number };
}

/**
 * One term of a community's owners' committee (业委会任期), written once and never updated or deleted: a later
 * term or an end record closes it. `number` counts the community's terms; the unique key decides between two
 * terms seated at once.
 */
@Schema({ collection: 'committee_terms', versionKey: false })
export class CommitteeTerm {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ required: true }) number: number;
  @Prop({ type: String, enum: TermSource, required: true }) source: TermSource;
  @Prop({ required: true }) startsOn: string;
  @Prop({ required: true }) endsOn: string;
  @Prop({ type: [MongooseSchema.Types.Mixed], required: true }) members: TermMember[];
  @Prop() electionId?: string;
  @Prop() ballotId?: string;
  @Prop() basis?: string;
  @Prop() seatsEmpty?: number;
  @Prop({ required: true }) seatedBy: string;
  @Prop({ required: true }) seatedAt: Date;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export const CommitteeTermSchema = SchemaFactory.createForClass(CommitteeTerm);
// One term per number in a community; also every term of a community, in order (today's committee, the history).
CommitteeTermSchema.index({ communityId: 1, number: 1 }, { unique: true });

/** An early end of a term, recorded by staff. `_id` is the term id: a term ends early once. */
@Schema({ collection: 'committee_term_ends', versionKey: false })
export class CommitteeTermEnd {
  @Prop({ type: String }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ required: true }) endedOn: string;
  @Prop({ required: true }) reason: string;
  @Prop({ required: true }) by: string;
  @Prop({ required: true }) at: Date;
}

export const CommitteeTermEndSchema = SchemaFactory.createForClass(CommitteeTermEnd);
// The early ends of a community's terms (today's committee, the history).
CommitteeTermEndSchema.index({ communityId: 1 });

/** Staff voiding a wrongly seated term, with the reason. `_id` is the term id: a term is voided once. */
@Schema({ collection: 'committee_term_voids', versionKey: false })
export class CommitteeTermVoid {
  @Prop({ type: String }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ required: true }) reason: string;
  @Prop({ required: true }) by: string;
  @Prop({ required: true }) at: Date;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export const CommitteeTermVoidSchema = SchemaFactory.createForClass(CommitteeTermVoid);
// The voided terms of a community (today's committee, the history).
CommitteeTermVoidSchema.index({ communityId: 1 });
