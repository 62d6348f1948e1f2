import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Relation } from '@cg/contracts';
import { HydratedDocument, Types } from 'mongoose';

/** Read model: who lives in which unit, built from membership's resident events. `_id` is the person id. */
@Schema({ collection: 'residencies', versionKey: false })
export class Residency {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) unitId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) buildingId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) gridId: Types.ObjectId;
  @Prop({ required: true }) name: string;
  @Prop({ type: String, enum: Relation, required: true }) relation: Relation;
  /** The event this record was built from. */
  @Prop({ required: true }) sourceEventId: string;
  @Prop({ required: true }) since: Date;
  /** The person's residence revision this record shows (0: the registration); older changes are ignored. */
  @Prop() revision?: number;
  /** Set when the person moved out of the community; the unit fields keep the last residence. */
  @Prop() leftAt?: Date;
}

export type ResidencyDocument = HydratedDocument<Residency>;
export const ResidencySchema = SchemaFactory.createForClass(Residency);
// Resident counts per building of a community.
ResidencySchema.index({ communityId: 1, buildingId: 1 });
