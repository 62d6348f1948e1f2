import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { BallotsModule } from '../ballots/ballots.module';
import { RegisteredUnit, RegisteredUnitSchema } from '../owners/registered-unit.schema';
import { ResidencesModule } from '../residences/residences.module';
import { Candidate, CandidateSchema, Election, ElectionSchema, PartyRightRecord, PartyRightRecordSchema } from './election.schema';
import { ElectionsController } from './elections.controller';
import { ElectionsRepository } from './elections.repository';
import { ELECTION_NOTICE_DAYS, ElectionsService } from './elections.service';
import { noticeDaysOf } from './public-notice';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Election.name, schema: ElectionSchema },
      { name: Candidate.name, schema: CandidateSchema },
      { name: PartyRightRecord.name, schema: PartyRightRecordSchema },
      // Read-only here: "is this person an owner of record?" for the eligibility checks.
      { name: RegisteredUnit.name, schema: RegisteredUnitSchema },
    ]),
    BallotsModule,
    ResidencesModule,
  ],
  controllers: [ElectionsController],
  providers: [
    ElectionsRepository,
    ElectionsService,
    { provide: ELECTION_NOTICE_DAYS, useFactory: () => noticeDaysOf(process.env.ELECTION_NOTICE_DAYS) },
  ],
  exports: [ElectionsService],
})
export class ElectionsModule {}
