import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxModule } from '@cg/messaging';
import { ResidentsModule } from '../residents/residents.module';
import {
  Competition,
  CompetitionSchema,
  DrawnBracket,
  DrawnBracketSchema,
  MatchResult,
  MatchResultSchema,
  ScoreEntry,
  ScoreEntrySchema,
} from './competition.schema';
import { CompetitionsController } from './competitions.controller';
import { CompetitionsRepository } from './competitions.repository';
import { CompetitionsService } from './competitions.service';
import { ScoreEventsService } from './score-events.service';

const models = MongooseModule.forFeature([
  { name: Competition.name, schema: CompetitionSchema },
  { name: ScoreEntry.name, schema: ScoreEntrySchema },
  { name: DrawnBracket.name, schema: DrawnBracketSchema },
  { name: MatchResult.name, schema: MatchResultSchema },
]);

@Module({
  imports: [
    models,
    OutboxModule.forFeature([ScoreEntry.name, MatchResult.name]),
    ResidentsModule,
  ],
  controllers: [CompetitionsController],
  providers: [CompetitionsRepository, CompetitionsService, ScoreEventsService],
  exports: [CompetitionsService],
})
export class CompetitionsModule {}
