import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { EventEnvelope } from '@cg/contracts';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

/**
 * A building moving from one grid to another: written once, before the nodes change, with the
 * `evt.grid.building.moved` event in its outbox. A move that stopped half-way is finished from it the next
 * time the building is moved.
 */
@Schema({ collection: 'building_moves', versionKey: false })
export class BuildingMove {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) buildingId: Types.ObjectId;
  @Prop({ required: true }) buildingCode: string;
  @Prop({ type: Types.ObjectId, required: true }) fromGridId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) toGridId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) fromAreaId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) toAreaId: Types.ObjectId;
  @Prop({ required: true }) at: Date;
  @Prop({ required: true }) by: string;
  @Prop() note?: string;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export type BuildingMoveDocument = HydratedDocument<BuildingMove>;
export const BuildingMoveSchema = SchemaFactory.createForClass(BuildingMove);
// The last move of a building, to finish one that stopped half-way.
BuildingMoveSchema.index({ communityId: 1, buildingId: 1, _id: -1 });
// The outbox relay's sweep for unpublished events.
BuildingMoveSchema.index({ 'outbox.id': 1 });
