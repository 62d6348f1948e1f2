import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxModule } from '@cg/messaging';
import { BallotsModule } from '../ballots/ballots.module';
import { ElectionsModule } from '../elections/elections.module';
import { CommitteeController } from './committee.controller';
import { CommitteeRepository } from './committee.repository';
import {
  CommitteeTerm,
  CommitteeTermEnd,
  CommitteeTermEndSchema,
  CommitteeTermSchema,
  CommitteeTermVoid,
  CommitteeTermVoidSchema,
} from './committee.schema';
import { CommitteeService } from './committee.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: CommitteeTerm.name, schema: CommitteeTermSchema },
      { name: CommitteeTermEnd.name, schema: CommitteeTermEndSchema },
      { name: CommitteeTermVoid.name, schema: CommitteeTermVoidSchema },
    ]),
    OutboxModule.forFeature([CommitteeTerm.name, CommitteeTermVoid.name]),
    BallotsModule,
    ElectionsModule,
  ],
  controllers: [CommitteeController],
  providers: [CommitteeRepository, CommitteeService],
})
export class CommitteeModule {}
