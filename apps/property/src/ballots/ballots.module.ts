import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxModule } from '@cg/messaging';
import { OwnerRegisterModule } from '../owners/owner-register.module';
import { BallotCloser } from './ballot-closer';
import { BALLOT_SCHEDULE, ballotScheduleOf } from './ballot-schedule';
import {
  Ballot,
  BallotElector,
  BallotElectorSchema,
  BallotProxy,
  BallotProxySchema,
  BallotResult,
  BallotResultSchema,
  BallotSchema,
  Vote,
  VoteSchema,
} from './ballot.schema';
import { BallotsController } from './ballots.controller';
import { BallotsRepository } from './ballots.repository';
import { BallotsService } from './ballots.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Ballot.name, schema: BallotSchema },
      { name: BallotElector.name, schema: BallotElectorSchema },
      { name: Vote.name, schema: VoteSchema },
      { name: BallotResult.name, schema: BallotResultSchema },
      { name: BallotProxy.name, schema: BallotProxySchema },
    ]),
    OutboxModule.forFeature([Ballot.name, Vote.name, BallotProxy.name]),
    OwnerRegisterModule,
  ],
  controllers: [BallotsController],
  providers: [
    BallotsRepository,
    BallotsService,
    BallotCloser,
    { provide: BALLOT_SCHEDULE, useFactory: () => ballotScheduleOf(process.env) },
  ],
  exports: [BallotsService],
})
export class BallotsModule {}
