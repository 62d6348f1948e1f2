import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, Types } from 'mongoose';

/**
 * The claim on one step of a versioned document: `_id` is `<kind>:<documentId>:<version it leaves>`, so of two
 * steps from the same version only one is written (FerretDB v1 decides races by unique keys, not by conditional
 * updates). It also records the change, so a step claimed by a process that died before applying it is rolled
 * forward by the next one that finds it.
 */
@Schema({ collection: 'step_claims', versionKey: false })
export class StepClaim {
  @Prop({ type: String }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ required: true }) version: number;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) set: Record<string, unknown>;
  @Prop({ type: MongooseSchema.Types.Mixed }) push?: Record<string, unknown>;
  @Prop({ required: true }) claimedBy: string;
  @Prop({ required: true }) claimedAt: Date;
}

export const StepClaimSchema = SchemaFactory.createForClass(StepClaim);
