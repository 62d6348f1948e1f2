import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { PeopleModule } from '../people/people.module';
import { OwnershipController } from './ownership.controller';
import { OwnershipRepository } from './ownership.repository';
import { Ownership, OwnershipRevision, OwnershipRevisionSchema, OwnershipSchema } from './ownership.schema';
import { OwnershipService } from './ownership.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Ownership.name, schema: OwnershipSchema },
      { name: OwnershipRevision.name, schema: OwnershipRevisionSchema },
    ]),
    PeopleModule,
  ],
  controllers: [OwnershipController],
  providers: [OwnershipRepository, OwnershipService],
  exports: [OwnershipService],
})
export class OwnershipModule {}
