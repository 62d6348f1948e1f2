import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Relation } from '@cg/contracts';
import { IndexDefinition, Types } from 'mongoose';

/** Read model: who lives in which unit, built from membership's resident events. `_id` is the person id. */
@Schema({ versionKey: false })
export class Residency {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) unitId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) buildingId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) gridId: Types.ObjectId;
  /** Kept only by services that show residents by name. */
  @Prop() name?: string;
  @Prop({ type: String, enum: Relation, required: true }) relation: Relation;
  /** The event this record was built from. */
  @Prop({ required: true }) sourceEventId: string;
  @Prop({ required: true }) since: Date;
  /** The person's residence revision this record shows (0: the registration); older changes are ignored. */
  @Prop() revision?: number;
  /** Set when the person moved out of the community; the unit fields keep the last residence. */
  @Prop() leftAt?: Date;
}

/** The schema for one service's collection; every index leads with the community. */
export function residencySchema(collection: string, indexes: IndexDefinition[] = []) {
  const schema = SchemaFactory.createForClass(Residency);
  schema.set('collection', collection);
  for (const index of indexes) schema.index(index);
  return schema;
}
