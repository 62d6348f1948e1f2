import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { AssemblyMatter, BallotStatus, CandidateChoice, EventEnvelope, MajorityRule, ProxyStatus, VoteChannel } from '@cg/contracts';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

/** Electorate totals frozen when the ballot opened; area in hundredths of a m². */
export interface ElectorateTotals {
  owners: number;
  units: number;
  areaHundredths: number;
}

/** An owners' assembly ballot (业主大会表决). */
@Schema({ collection: 'ballots', versionKey: false })
export class Ballot {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ required: true }) title: string;
  @Prop() description?: string;
  @Prop({ type: String, enum: AssemblyMatter, required: true }) matter: AssemblyMatter;
  @Prop({ type: String, enum: MajorityRule, required: true }) majority: MajorityRule;
  @Prop({ type: [String], required: true }) options: string[];
  @Prop({ required: true }) opensAt: Date;
  @Prop({ required: true }) closesAt: Date;
  @Prop({ type: String, enum: BallotStatus, required: true }) status: BallotStatus;
  @Prop({ required: true }) createdBy: string;
  @Prop({ required: true }) createdAt: Date;
  @Prop() openedAt?: Date;
  @Prop() closedAt?: Date;
  /** When the owners were told voting ends within a day. */
  @Prop() closingSoonAt?: Date;
  @Prop({ type: MongooseSchema.Types.Mixed }) electorate?: ElectorateTotals;
  /** Election ballots: the seats, the candidates in nomination order, and the election. */
  @Prop() seats?: number;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: undefined }) candidates?: BallotCandidate[];
  @Prop() electionId?: string;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export interface BallotCandidate {
  candidateId: string;
  personId: string;
  name: string;
}

export const BallotSchema = SchemaFactory.createForClass(Ballot);
// Ballots of a community, paginated by _id (the ballot list).
BallotSchema.index({ communityId: 1, _id: 1 });
// Ballots due to close, across communities (the closing sweep of every replica).
BallotSchema.index({ status: 1, closesAt: 1 });
// Open ballots closing within a day not yet announced as such (the closing-soon sweep of every replica).
BallotSchema.index({ status: 1, closingSoonAt: 1, closesAt: 1 });

/** One owner of a ballot's electorate, frozen when it opened. Ids are strings: this is a record, not a link. */
@Schema({ collection: 'ballot_electors', versionKey: false })
export class BallotElector {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) ballotId: Types.ObjectId;
  @Prop({ required: true }) ownerKey: string;
  @Prop({ required: true }) areaHundredths: number;
  @Prop({ type: [String], required: true }) voterPersonIds: string[];
  @Prop({ type: [MongooseSchema.Types.Mixed], required: true })
  units: { unitId: string; buildingId: string; areaHundredths: number }[];
}

export const BallotElectorSchema = SchemaFactory.createForClass(BallotElector);
// One entry per owner and ballot; also the whole electorate of a ballot (progress, the seal, verification).
BallotElectorSchema.index({ communityId: 1, ballotId: 1, ownerKey: 1 }, { unique: true });
// The owners a person votes for online (casting a vote).
BallotElectorSchema.index({ communityId: 1, ballotId: 1, voterPersonIds: 1 });
// The owner of a unit (recording a paper ballot).
BallotElectorSchema.index({ communityId: 1, ballotId: 1, 'units.unitId': 1 });

/** One owner's vote. The unique key is the one-vote-per-owner rule, across online and paper ballots. */
@Schema({ collection: 'ballot_votes', versionKey: false })
export class Vote {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) ballotId: Types.ObjectId;
  @Prop({ required: true }) ownerKey: string;
  @Prop() option?: string;
  /** Election ballots: one choice per candidate. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: undefined }) choices?: { candidateId: string; choice: CandidateChoice }[];
  @Prop({ type: String, enum: VoteChannel, required: true }) channel: VoteChannel;
  /** Proxy votes: the written authorisation the proxy voted under. */
  @Prop() proxyId?: string;
  @Prop() unitId?: string;
  /** Account that cast (online) or recorded (paper) the vote. */
  @Prop({ required: true }) recordedBy: string;
  @Prop() personId?: string;
  @Prop() paperNumber?: string;
  @Prop({ required: true }) castAt: Date;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export const VoteSchema = SchemaFactory.createForClass(Vote);
// One vote per owner and ballot; also all votes of a ballot (progress, the seal, verification).
VoteSchema.index({ communityId: 1, ballotId: 1, ownerKey: 1 }, { unique: true });

/** The sealed result of a ballot: written once, never updated. `_id` is the ballot id. */
@Schema({ collection: 'ballot_results', versionKey: false })
export class BallotResult {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) result: Record<string, unknown>;
  @Prop({ required: true }) electorateHash: string;
  @Prop({ required: true }) votesHash: string;
  @Prop({ required: true }) resultHash: string;
  @Prop({ required: true }) recordHash: string;
  @Prop({ required: true }) sealedAt: Date;
}

export const BallotResultSchema = SchemaFactory.createForClass(BallotResult);

/**
 * An owner's written authorisation of a proxy for one ballot (委托投票). An active or used authorisation holds the
 * owner's slot, so an owner has one at a time; revoking frees it.
 */
@Schema({ collection: 'ballot_proxies', versionKey: false })
export class BallotProxy {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) ballotId: Types.ObjectId;
  @Prop({ required: true }) ownerKey: string;
  @Prop({ required: true }) slot: string;
  @Prop({ required: true }) unitId: string;
  @Prop({ required: true }) proxyPersonId: string;
  @Prop({ required: true }) proxyName: string;
  @Prop({ required: true }) authorisation: string;
  @Prop({ type: String, enum: ProxyStatus, required: true }) status: ProxyStatus;
  @Prop({ required: true }) recordedBy: string;
  @Prop({ required: true }) recordedAt: Date;
  @Prop() revokedBy?: string;
  @Prop() revokedAt?: Date;
  @Prop() revokeReason?: string;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export const BallotProxySchema = SchemaFactory.createForClass(BallotProxy);
// One authorisation in force per owner and ballot.
BallotProxySchema.index({ communityId: 1, ballotId: 1, slot: 1 }, { unique: true });
// The owners a person may vote for as proxy (casting a vote).
BallotProxySchema.index({ communityId: 1, ballotId: 1, proxyPersonId: 1 });

export type BallotDocument = HydratedDocument<Ballot>;
