import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { EventEnvelope, Relation } from '@cg/contracts';
import { Schema as MongooseSchema, Types } from 'mongoose';
import { ChangeKind } from './residence-rules';

/**
 * One change of a person's residence, never updated (only its outbox is emptied). `_id` is
 * `<personId>:<revision>`, so two changes decided from the same state cannot both be stored.
 */
@Schema({ collection: 'residence_changes', versionKey: false })
export class ResidenceChange {
  @Prop({ type: String }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) personId: Types.ObjectId;
  @Prop({ required: true }) revision: number;
  @Prop({ type: String, required: true }) kind: ChangeKind;
  /** The residence after the change; absent when the person moved out. */
  @Prop({ type: Types.ObjectId }) unitId?: Types.ObjectId;
  @Prop({ type: Types.ObjectId }) buildingId?: Types.ObjectId;
  @Prop({ type: Types.ObjectId }) gridId?: Types.ObjectId;
  @Prop({ type: String, enum: Relation, required: true }) relation: Relation;
  @Prop({ required: true }) movedAt: Date;
  @Prop({ required: true }) recordedBy: string;
  @Prop() note?: string;
  /** Events caused by this change, written with it and cleared once published. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export const ResidenceChangeSchema = SchemaFactory.createForClass(ResidenceChange);
// A person's residence history, in revision order.
ResidenceChangeSchema.index({ communityId: 1, personId: 1, revision: 1 });
// The outbox relay's sweep for unpublished events.
ResidenceChangeSchema.index({ 'outbox.id': 1 });

/**
 * Where a person who has moved at least once lives now: a copy of their last change, for the household view and
 * the search by building. Written only under the person's lock, always from the change log; `_id` is the person.
 */
@Schema({ collection: 'current_residences', versionKey: false })
export class CurrentResidence {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ required: true }) revision: number;
  /** The unit lived in now, or the last one after moving out. */
  @Prop({ type: Types.ObjectId, required: true }) unitId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) buildingId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) gridId: Types.ObjectId;
  @Prop({ type: String, enum: Relation, required: true }) relation: Relation;
  @Prop({ required: true }) since: Date;
  @Prop() movedOutAt?: Date;
}

export const CurrentResidenceSchema = SchemaFactory.createForClass(CurrentResidence);
// Who lives in a unit today (household view).
CurrentResidenceSchema.index({ communityId: 1, unitId: 1 });
// Who lives in a building today (resident search by building, a building moving grid).
CurrentResidenceSchema.index({ communityId: 1, buildingId: 1 });

/** The grid a building is in, from grid's `building moved` events; `_id` is the building. Written under a lock. */
@Schema({ collection: 'building_grids', versionKey: false })
export class BuildingGrid {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) gridId: Types.ObjectId;
  @Prop({ required: true }) movedAt: Date;
  /** False until every resident of the building has followed this move; a redelivered event finishes it. */
  @Prop({ required: true }) applied: boolean;
}

export const BuildingGridSchema = SchemaFactory.createForClass(BuildingGrid);
