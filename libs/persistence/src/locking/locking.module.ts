import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { KeyedLocks } from './keyed-locks';
import { Lease, LeaseSchema } from './lease.schema';

@Module({
  imports: [MongooseModule.forFeature([{ name: Lease.name, schema: LeaseSchema }])],
  providers: [KeyedLocks],
  exports: [KeyedLocks],
})
export class LockingModule {}
