import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Role } from '@cg/contracts';
import { HydratedDocument, Types } from 'mongoose';

@Schema({ collection: 'accounts', timestamps: true, versionKey: false })
export class Account {
  _id: Types.ObjectId;
  @Prop({ required: true }) username: string;
  /** scrypt, parameters and salt included. */
  @Prop({ required: true }) passwordHash: string;
  @Prop({ required: true }) name: string;
  @Prop({ type: Types.ObjectId }) personId?: Types.ObjectId;
  @Prop({ type: [String], enum: Role, required: true }) roles: Role[];
  @Prop({ type: [Types.ObjectId], required: true }) communityIds: Types.ObjectId[];
}

export type AccountDocument = HydratedDocument<Account>;
export const AccountSchema = SchemaFactory.createForClass(Account);
// Login by username.
AccountSchema.index({ username: 1 }, { unique: true });
