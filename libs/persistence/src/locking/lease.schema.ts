import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A held lock: exists while one caller works on the keyed aggregate. `_id` is the key. */
@Schema({ collection: 'leases', versionKey: false })
export class Lease {
  @Prop({ type: String }) _id: string;
  @Prop({ required: true }) token: string;
  @Prop({ required: true }) expiresAt: Date;
}

export const LeaseSchema = SchemaFactory.createForClass(Lease);
