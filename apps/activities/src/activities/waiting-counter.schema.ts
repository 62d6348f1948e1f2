import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/** The last waiting-list position handed out for an activity. `_id` is the activity id. */
@Schema({ collection: 'waiting_counters', versionKey: false })
export class WaitingCounter {
  _id: Types.ObjectId;
  @Prop({ required: true }) seq: number;
}

export const WaitingCounterSchema = SchemaFactory.createForClass(WaitingCounter);
