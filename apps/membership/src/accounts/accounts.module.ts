import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxModule } from '@cg/messaging';
import { Account, AccountSchema } from './account.schema';
import { AccountsController } from './accounts.controller';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { PersonFactsRepository } from './person-facts.repository';

@Module({
  imports: [MongooseModule.forFeature([{ name: Account.name, schema: AccountSchema }]), OutboxModule.forFeature([Account.name])],
  controllers: [AccountsController],
  providers: [AccountsRepository, PersonFactsRepository, AccountsService],
  exports: [AccountsService],
})
export class AccountsModule {}
