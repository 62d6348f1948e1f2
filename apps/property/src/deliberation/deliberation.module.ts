import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { BallotsModule } from '../ballots/ballots.module';
import { ResidencesModule } from '../residences/residences.module';
import { DeliberationController } from './deliberation.controller';
import { DeliberationRepository } from './deliberation.repository';
import { DeliberationService, TOPIC_EXPIRY_DAYS } from './deliberation.service';
import { topicExpiryDaysOf } from './topic-rules';
import {
  DeliberationSettings,
  DeliberationSettingsSchema,
  Moderation,
  ModerationSchema,
  Topic,
  TopicReply,
  TopicReplySchema,
  TopicSchema,
  TopicResponse,
  TopicResponseSchema,
  TopicSupport,
  TopicSupportSchema,
  TopicTakeUp,
  TopicTakeUpSchema,
} from './topic.schema';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Topic.name, schema: TopicSchema },
      { name: TopicSupport.name, schema: TopicSupportSchema },
      { name: TopicReply.name, schema: TopicReplySchema },
      { name: Moderation.name, schema: ModerationSchema },
      { name: TopicTakeUp.name, schema: TopicTakeUpSchema },
      { name: TopicResponse.name, schema: TopicResponseSchema },
      { name: DeliberationSettings.name, schema: DeliberationSettingsSchema },
    ]),
    BallotsModule,
    ResidencesModule,
  ],
  controllers: [DeliberationController],
  providers: [
    DeliberationRepository,
    DeliberationService,
    { provide: TOPIC_EXPIRY_DAYS, useFactory: () => topicExpiryDaysOf(process.env.TOPIC_EXPIRY_DAYS) },
  ],
})
export class DeliberationModule {}
