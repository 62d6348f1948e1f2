import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { PeopleModule } from '../people/people.module';
import { PartyController } from './party.controller';
import { PartyRepository } from './party.repository';
import {
  PartyMember,
  PartyMemberSchema,
  ServiceRecord,
  ServiceRecordSchema,
} from './party.schema';
import { PartyService } from './party.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: PartyMember.name, schema: PartyMemberSchema },
      { name: ServiceRecord.name, schema: ServiceRecordSchema },
    ]),
    PeopleModule,
  ],
  controllers: [PartyController],
  providers: [PartyRepository, PartyService],
})
export class PartyModule {}
