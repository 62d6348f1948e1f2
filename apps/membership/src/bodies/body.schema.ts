import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { BodyKind, EventEnvelope, PositionKind } from '@cg/contracts';
import { Schema as MongooseSchema, Types } from 'mongoose';

/** A body of the community: a committee, a family committee of a school, a party organisation. */
@Schema({ collection: 'bodies', timestamps: true, versionKey: false })
export class Body {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: String, required: true }) kind: BodyKind;
  @Prop({ required: true }) name: string;
  @Prop({ type: Types.ObjectId }) parentBodyId?: Types.ObjectId;
  @Prop({ type: Types.ObjectId }) nodeId?: Types.ObjectId;
  @Prop({ required: true }) createdBy: string;
  createdAt?: Date;
}

export const BodySchema = SchemaFactory.createForClass(Body);
// Bodies of a community, optionally of one kind, paginated by _id.
BodySchema.index({ communityId: 1, kind: 1, _id: 1 });

/** One person's term in one position of a body. Kept after it ends: the history of who held what when. */
export class Term {
  _id: Types.ObjectId;
  communityId: Types.ObjectId;
  bodyId: Types.ObjectId;
  bodyKind: BodyKind;
  bodyName: string;
  personId: Types.ObjectId;
  name: string;
  position: PositionKind;
  title?: string;
  /** First day, YYYY-MM-DD: strings of this form compare as dates. */
  from: string;
  /** Last day, YYYY-MM-DD; absent while open-ended. */
  to?: string;
  endReason?: string;
  appointedBy: string;
  endedBy?: string;
  createdAt?: Date;
}

/**
 * One position of one body with every term of it, past and present; `_id` is `<bodyId>:<position>`. An appointment
 * or the end of a term is one update guarded by `revision` (or the insert of the position's first term), so the
 * holder checks always see every term the write is decided against.
 */
@Schema({ collection: 'positions', versionKey: false })
export class Position {
  @Prop({ type: String }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) bodyId: Types.ObjectId;
  @Prop({ type: String, required: true }) position: PositionKind;
  @Prop({ required: true }) revision: number;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) terms: Term[];
  /** Events caused by this position's changes, written with them and cleared once published. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox?: EventEnvelope[];
}

export const PositionSchema = SchemaFactory.createForClass(Position);
// Terms of one body (by position): the body's history.
PositionSchema.index({ communityId: 1, bodyId: 1, position: 1 });
// Positions across the community, by kind.
PositionSchema.index({ communityId: 1, position: 1 });
// The positions of one person.
PositionSchema.index({ communityId: 1, 'terms.personId': 1 });
