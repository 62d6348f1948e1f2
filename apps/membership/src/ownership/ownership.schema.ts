import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { AreaSource, EventEnvelope } from '@cg/contracts';
import { Schema as MongooseSchema, Types } from 'mongoose';

export class OwnerOfRecord {
  personId: Types.ObjectId;
  name: string;
}

/**
 * The owners of record of one unit as they stand now, with its exclusive area. A change is one update guarded by
 * `revision` (or the insert of the unit's first record) carrying its `ownership recorded` event.
 */
@Schema({ collection: 'ownerships', timestamps: true, versionKey: false })
export class Ownership {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) unitId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) buildingId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) gridId: Types.ObjectId;
  @Prop({ required: true }) unitCode: string;
  @Prop({ type: [{ personId: Types.ObjectId, name: String, _id: false }], default: [] })
  owners: OwnerOfRecord[];
  @Prop({ required: true }) voterPersonId: string;
  @Prop({ required: true }) heldByDeveloper: boolean;
  @Prop({ required: true }) headcountKey: string;
  /** Exclusive area in hundredths of m²: integers keep sums exact. */
  @Prop({ required: true }) areaHundredths: number;
  @Prop({ type: String, required: true }) areaSource: AreaSource;
  @Prop({ required: true }) revision: number;
  @Prop({ required: true }) recordedBy: string;
  /** Events of the revisions recorded one at a time, written with them and cleared once published. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
  updatedAt?: Date;
}

export const OwnershipSchema = SchemaFactory.createForClass(Ownership);
// One current record per unit.
OwnershipSchema.index({ communityId: 1, unitId: 1 }, { unique: true });
// The owner register of a community, paginated by _id.
OwnershipSchema.index({ communityId: 1, _id: 1 });
// The owner register of one building, paginated by _id.
OwnershipSchema.index({ communityId: 1, buildingId: 1, _id: 1 });
// Owner counts: every unit's headcount key and area.
OwnershipSchema.index({ communityId: 1, headcountKey: 1 });
