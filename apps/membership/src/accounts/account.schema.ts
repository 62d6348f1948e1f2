import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { EventEnvelope, Role } from '@cg/contracts';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';
import type { Resident } from '../residents/resident.schema';

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
  /**
   * The resident whose registration created this account, kept here until that resident is stored: the account is
   * pending while it is set, and a pending account cannot log in.
   */
  @Prop({ type: MongooseSchema.Types.Mixed }) pendingResident?: Resident;
  /** Events caused by this account's changes, written with them and cleared once published. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: undefined }) outbox?: EventEnvelope[];
}

export type AccountDocument = HydratedDocument<Account>;
export const AccountSchema = SchemaFactory.createForClass(Account);
// Login by username.
AccountSchema.index({ username: 1 }, { unique: true });
// The sweep for pending accounts, oldest registration first.
AccountSchema.index({ 'pendingResident.registeredAt': 1 });
