import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { BodyKind, PositionKind } from '@cg/contracts';
import { Types } from 'mongoose';

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
@Schema({ collection: 'terms', timestamps: true, versionKey: false })
export class Term {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) bodyId: Types.ObjectId;
  @Prop({ type: String, required: true }) bodyKind: BodyKind;
  @Prop({ required: true }) bodyName: string;
  @Prop({ type: Types.ObjectId, required: true }) personId: Types.ObjectId;
  @Prop({ required: true }) name: string;
  @Prop({ type: String, required: true }) position: PositionKind;
  @Prop() title?: string;
  /** First day, YYYY-MM-DD: strings of this form compare as dates. */
  @Prop({ required: true }) from: string;
  /** Last day, YYYY-MM-DD; absent while open-ended. */
  @Prop() to?: string;
  @Prop() endReason?: string;
  @Prop({ required: true }) appointedBy: string;
  @Prop() endedBy?: string;
}

export const TermSchema = SchemaFactory.createForClass(Term);
// Terms of one body (by position), for the holder checks and the body's history.
TermSchema.index({ communityId: 1, bodyId: 1, position: 1, _id: 1 });
// Positions across the community held on a day, paginated by _id.
TermSchema.index({ communityId: 1, position: 1, from: 1 });
// The positions of one person.
TermSchema.index({ communityId: 1, personId: 1, _id: 1 });
