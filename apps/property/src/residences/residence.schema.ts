import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/** Who lives in which unit and building, kept from membership's events. `_id` is the person id. */
@Schema({ collection: 'residences', versionKey: false })
export class Residence {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) unitId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) buildingId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) gridId: Types.ObjectId;
  @Prop({ required: true }) relation: string;
  @Prop({ required: true }) sourceEventId: string;
  @Prop({ required: true }) since: Date;
  /** The person's residence revision this record shows (0: the registration); older changes are ignored. */
  @Prop() revision?: number;
  /** Set when the person moved out of the community; the unit fields keep the last residence. */
  @Prop() leftAt?: Date;
}

export const ResidenceSchema = SchemaFactory.createForClass(Residence);
// Looked up by _id (the person) only; the community is checked on the document.
