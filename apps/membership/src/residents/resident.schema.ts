import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { EventEnvelope, Gender, Relation } from '@cg/contracts';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

/**
 * A person registered as living in a unit. `_id` is the person id used by every service. Never updated: the unit
 * here is where the person was registered; later moves are kept in the person's `Residence`.
 */
@Schema({ collection: 'residents', timestamps: true, versionKey: false })
export class Resident {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ required: true }) name: string;
  @Prop({ required: true }) phone: string;
  @Prop() idNumber?: string;
  /** `<communityId>:<idNumber>` when an ID number is given: the key that keeps an ID number to one person per community. */
  @Prop() idNumberInCommunity?: string;
  @Prop({ type: Types.ObjectId, required: true }) unitId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) buildingId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) gridId: Types.ObjectId;
  @Prop({ type: String, enum: Relation, required: true }) relation: Relation;
  @Prop() dateOfBirth?: string;
  @Prop({ type: String, enum: Gender }) gender?: Gender;
  @Prop({ type: Types.ObjectId }) accountId?: Types.ObjectId;
  @Prop({ required: true }) registeredAt: Date;
  /** Events caused by this document's changes, written with them and cleared once published. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export function idNumberInCommunity(communityId: Types.ObjectId | string, idNumber: string): string {
  return `${String(communityId)}:${idNumber}`;
}

export type ResidentDocument = HydratedDocument<Resident>;
export const ResidentSchema = SchemaFactory.createForClass(Resident);
// One registration per phone number and unit: a repeated registration is a conflict; also who was registered into a unit.
ResidentSchema.index({ communityId: 1, unitId: 1, phone: 1 }, { unique: true });
// One person per ID number in a community. A single-field sparse index leaves out residents without an ID number on
// MongoDB and on mongo-java-server alike (the latter ignores partial filters and compound sparse indexes).
ResidentSchema.index({ idNumberInCommunity: 1 }, { unique: true, sparse: true });
// Resident search by name prefix.
ResidentSchema.index({ communityId: 1, name: 1 });
// Residents registered into a building (the search by building starts here).
ResidentSchema.index({ communityId: 1, buildingId: 1, _id: 1 });
// Residents of a community, paginated by _id.
ResidentSchema.index({ communityId: 1, _id: 1 });
// The outbox relay's sweep for unpublished events.
ResidentSchema.index({ 'outbox.id': 1 });
