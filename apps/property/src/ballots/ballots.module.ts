import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OwnerRegisterModule } from '../owners/owner-register.module';
import { Ballot, BallotElector, BallotElectorSchema, BallotResult, BallotResultSchema, BallotSchema, Vote, VoteSchema } from './ballot.schema';
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
    ]),
    OwnerRegisterModule,
  ],
  controllers: [BallotsController],
  providers: [BallotsRepository, BallotsService],
  exports: [BallotsService],
})
export class BallotsModule {}
