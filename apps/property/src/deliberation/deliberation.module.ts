import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { BallotsModule } from '../ballots/ballots.module';
import { ResidencesModule } from '../residences/residences.module';
import { DeliberationController } from './deliberation.controller';
import { DeliberationRepository } from './deliberation.repository';
import { DeliberationService } from './deliberation.service';
import {
  Moderation,
  ModerationSchema,
  Topic,
  TopicBallotClaim,
  TopicBallotClaimSchema,
  TopicReply,
  TopicReplySchema,
  TopicSchema,
  TopicSupport,
  TopicSupportSchema,
} from './topic.schema';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Topic.name, schema: TopicSchema },
      { name: TopicSupport.name, schema: TopicSupportSchema },
      { name: TopicReply.name, schema: TopicReplySchema },
      { name: Moderation.name, schema: ModerationSchema },
      { name: TopicBallotClaim.name, schema: TopicBallotClaimSchema },
    ]),
    BallotsModule,
    ResidencesModule,
  ],
  controllers: [DeliberationController],
  providers: [DeliberationRepository, DeliberationService],
})
export class DeliberationModule {}
