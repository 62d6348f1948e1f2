import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DomainException, ErrorCode } from '@cg/contracts';
import { isDuplicateKey } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { Account } from './account.schema';

@Injectable()
export class AccountsRepository implements OnModuleInit {
  constructor(@InjectModel(Account.name) private readonly accounts: Model<Account>) {}

  async onModuleInit(): Promise<void> {
    await this.accounts.createIndexes();
  }

  findByUsername(username: string): Promise<Account | null> {
    return this.accounts.findOne({ username }).lean<Account>().exec();
  }

  async insert(account: Omit<Account, '_id'> & { _id?: Types.ObjectId }): Promise<Account> {
    try {
      return (await this.accounts.create(account)).toObject();
    } catch (error) {
      if (isDuplicateKey(error)) {
        throw new DomainException(ErrorCode.USERNAME_TAKEN, `Username "${account.username}" is taken`, [
          { field: 'username', reason: 'is taken' },
        ]);
      }
      throw error;
    }
  }

  /** Pending accounts whose registration began before `before`, oldest first. */
  pendingSince(before: Date, limit: number): Promise<Account[]> {
    return this.accounts
      .find({ 'pendingResident.registeredAt': { $lt: before } })
      .sort({ 'pendingResident.registeredAt': 1 })
      .limit(limit)
      .lean<Account[]>()
      .exec();
  }

  /** Ends the pending state once its resident is stored; a second call finds nothing to do. */
  async activate(id: Types.ObjectId): Promise<void> {
    await this.accounts.updateOne({ _id: id, pendingResident: { $exists: true } }, { $unset: { pendingResident: 1 } });
  }

  /** Removes the account only while it is still pending: an account in use is never removed by a retry. */
  async removePending(id: Types.ObjectId): Promise<void> {
    await this.accounts.deleteOne({ _id: id, pendingResident: { $exists: true } });
  }
}
