import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { AreaSource } from '@cg/contracts';
import { HydratedDocument, Types } from 'mongoose';

/**
 * Read model of the owner register (业主名册), one document per unit, built from membership's ownership events.
 * `_id` is the unit id; only a higher `revision` replaces a document.
 */
@Schema({ collection: 'owner_register', versionKey: false })
export class RegisteredUnit {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) buildingId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) gridId: Types.ObjectId;
  /** Exclusive area in integer hundredths of a m². */
  @Prop({ required: true }) areaHundredths: number;
  @Prop({ type: String, required: true }) areaSource: AreaSource;
  @Prop({ type: [String], required: true }) ownerPersonIds: string[];
  @Prop({ required: true }) voterPersonId: string;
  @Prop({ required: true }) headcountKey: string;
  @Prop({ required: true }) revision: number;
  /** The event this version was built from. */
  @Prop({ required: true }) sourceEventId: string;
  @Prop({ required: true }) recordedAt: Date;
}

export type RegisteredUnitDocument = HydratedDocument<RegisteredUnit>;
export const RegisteredUnitSchema = SchemaFactory.createForClass(RegisteredUnit);
// The whole register of a community: its summary (grouped by headcount key) and the electorate frozen when a ballot opens.
RegisteredUnitSchema.index({ communityId: 1, headcountKey: 1 });
// "Is this person an owner of record here?" as voter (the eligibility checks and joint nominations).
RegisteredUnitSchema.index({ communityId: 1, voterPersonId: 1 });
// "Is this person an owner of record here?" as owner (the eligibility checks and joint nominations).
RegisteredUnitSchema.index({ communityId: 1, ownerPersonIds: 1 });
