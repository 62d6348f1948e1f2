import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { AreaSource, EventEnvelope } from '@cg/contracts';
import { Schema as MongooseSchema, Types } from 'mongoose';

export class OwnerOfRecord {
  personId: Types.ObjectId;
  name: string;
}

/** The owners of record of one unit as they stand now (its latest revision), with its exclusive area. */
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

/**
 * Every change of a unit's ownership, insert-only. Inserting revision n is the commit point of a change: the
 * unique index lets exactly one of two concurrent writers have it (FerretDB's conditional updates are not
 * atomic, unique indexes are), and the event travels in the same insert.
 */
@Schema({
  collection: 'ownership_revisions',
  timestamps: { createdAt: true, updatedAt: false },
  versionKey: false,
})
export class OwnershipRevision extends Ownership {
  /** Events caused by this revision, written with it and cleared once published. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export const OwnershipRevisionSchema = SchemaFactory.createForClass(OwnershipRevision);
// One writer per revision of a unit; the latest revision of a unit.
OwnershipRevisionSchema.index({ communityId: 1, unitId: 1, revision: 1 }, { unique: true });
// The outbox relay's sweep for unpublished events.
OwnershipRevisionSchema.index({ 'outbox.id': 1 });
