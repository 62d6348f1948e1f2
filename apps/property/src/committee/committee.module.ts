import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { BallotsModule } from '../ballots/ballots.module';
import { ElectionsModule } from '../elections/elections.module';
import { CommitteeController } from './committee.controller';
import { CommitteeRepository } from './committee.repository';
import {
  CommitteeTerm,
  CommitteeTermEnd,
  CommitteeTermEndSchema,
  CommitteeTermSchema,
} from './committee.schema';
import { CommitteeService } from './committee.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: CommitteeTerm.name, schema: CommitteeTermSchema },
      { name: CommitteeTermEnd.name, schema: CommitteeTermEndSchema },
    ]),
    BallotsModule,
    ElectionsModule,
  ],
  controllers: [CommitteeController],
  providers: [CommitteeRepository, CommitteeService],
})
export class CommitteeModule {}
