import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxModule } from '@cg/messaging';
import { PeopleModule } from '../people/people.module';
import { OwnershipController } from './ownership.controller';
import { OwnershipRepository } from './ownership.repository';
import { Ownership, OwnershipSchema } from './ownership.schema';
import { OwnershipService } from './ownership.service';

const models = MongooseModule.forFeature([{ name: Ownership.name, schema: OwnershipSchema }]);

@Module({
  imports: [models, OutboxModule.forFeature([Ownership.name]), PeopleModule],
  controllers: [OwnershipController],
  providers: [OwnershipRepository, OwnershipService],
  exports: [OwnershipService],
})
export class OwnershipModule {}
