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

  async insert(account: Omit<Account, '_id'>): Promise<Account> {
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

  async remove(id: Types.ObjectId): Promise<void> {
    await this.accounts.deleteOne({ _id: id });
  }
}
