import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { CandidateSource, EligibilityCheck, EligibilityResultView, ElectionStatus, PartyRight } from '@cg/contracts';
import { Schema as MongooseSchema, Types } from 'mongoose';

/** The election of an owners' committee (业委会选举). */
@Schema({ collection: 'committee_elections', versionKey: false })
export class Election {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ required: true }) title: string;
  @Prop({ required: true }) seats: number;
  @Prop({ type: [String], required: true }) checks: EligibilityCheck[];
  @Prop({ type: String, enum: ElectionStatus, required: true }) status: ElectionStatus;
  /** Every step moves it on by one, in one update guarded by the status and version it was read at. */
  @Prop({ required: true }) version: number;
  /**
   * Candidates nominated so far, counted by a conditional update after each candidate is written: publishing is
   * guarded by it, so a nomination that lands while the candidates are being published is either seen or refused.
   */
  @Prop({ default: 0 }) nominations: number;
  @Prop({ required: true }) createdBy: string;
  @Prop({ required: true }) createdAt: Date;
  @Prop() noticeEndsAt?: Date;
  @Prop() publishedAt?: Date;
  @Prop({ type: [String] }) publishedCandidateIds?: string[];
  @Prop() ballotId?: string;
}

export const ElectionSchema = SchemaFactory.createForClass(Election);

/** A candidate; never updated: the review is a separate record. */
@Schema({ collection: 'committee_candidates', versionKey: false })
export class Candidate {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) electionId: Types.ObjectId;
  @Prop({ required: true }) personId: string;
  @Prop({ required: true }) name: string;
  @Prop({ type: String, enum: CandidateSource, required: true }) source: CandidateSource;
  @Prop({ type: [String], default: [] }) nominatorPersonIds: string[];
  @Prop() background?: string;
  @Prop() partyMember?: boolean;
  @Prop() feeArrears?: boolean;
  @Prop() relativeAtPropertyCompany?: boolean;
  @Prop({ required: true }) nominatedBy: string;
  @Prop({ required: true }) nominatedAt: Date;
}

export const CandidateSchema = SchemaFactory.createForClass(Candidate);
// One candidacy per person and election; also every candidate of an election (the election view).
CandidateSchema.index({ communityId: 1, electionId: 1, personId: 1 }, { unique: true });

/**
 * One exercise of a party committee right, insert-only. A qualification review has `_id`
 * `review:<candidateId>`, so a candidate is reviewed once however many reviewers act at the same time.
 */
@Schema({ collection: 'party_right_records', versionKey: false })
export class PartyRightRecord {
  @Prop({ type: String }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) electionId: Types.ObjectId;
  @Prop({ type: String, enum: PartyRight, required: true }) right: PartyRight;
  @Prop({ required: true }) by: string;
  @Prop({ required: true }) at: Date;
  @Prop({ required: true }) reasons: string;
  @Prop() candidateId?: string;
  @Prop() approved?: boolean;
  @Prop({ type: [String] }) candidateIds?: string[];
  @Prop() partyMemberPercent?: number;
  @Prop({ type: [String] }) backgrounds?: string[];
  @Prop({ type: [MongooseSchema.Types.Mixed] }) checksShown?: EligibilityResultView[];
}

export const PartyRightRecordSchema = SchemaFactory.createForClass(PartyRightRecord);
// The rights exercised in an election, oldest first (the election view).
PartyRightRecordSchema.index({ communityId: 1, electionId: 1, at: 1 });
