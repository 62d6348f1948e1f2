import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { EventEnvelope, Relation } from '@cg/contracts';
import { Schema as MongooseSchema, Types } from 'mongoose';
import { ChangeKind } from './residence-rules';

/** One change of a person's residence, kept in the person's `Residence` in revision order. */
export class ResidenceChange {
  revision: number;
  kind: ChangeKind;
  /** The residence after the change; absent when the person moved out. */
  unitId?: Types.ObjectId;
  buildingId?: Types.ObjectId;
  gridId?: Types.ObjectId;
  relation: Relation;
  movedAt: Date;
  recordedBy: string;
  note?: string;
}

/**
 * Where a person who has moved at least once lives now, with every change since the registration and the events
 * those changes caused. `_id` is the person. Each change is one update guarded by `revision`, carrying the change,
 * the new residence and its event, so two changes decided from the same state cannot both be stored.
 */
@Schema({ collection: 'residences', versionKey: false })
export class Residence {
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
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) changes: ResidenceChange[];
  /** Events caused by the changes, written with them and cleared once published. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export const ResidenceSchema = SchemaFactory.createForClass(Residence);
// Who lives in a unit today (household view).
ResidenceSchema.index({ communityId: 1, unitId: 1 });
// Who lives in a building today (resident search by building, a building moving grid).
ResidenceSchema.index({ communityId: 1, buildingId: 1 });

/**
 * The grid a building is in, from grid's `building moved` events; `_id` is the building. Only a later move replaces
 * it (one conditional update).
 */
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
