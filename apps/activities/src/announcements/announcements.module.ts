import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxModule } from '@cg/messaging';
import { ResidentsModule } from '../residents/residents.module';
import { AnnouncementFollowUpService } from './announcement-follow-up.service';
import { Announcement, AnnouncementSchema, ReadReceipt, ReadReceiptSchema } from './announcement.schema';
import { AnnouncementsController } from './announcements.controller';
import { AnnouncementsRepository } from './announcements.repository';
import { AnnouncementsService } from './announcements.service';

const models = MongooseModule.forFeature([
  { name: Announcement.name, schema: AnnouncementSchema },
  { name: ReadReceipt.name, schema: ReadReceiptSchema },
]);

@Module({
  imports: [
    models,
    OutboxModule.forFeature([Announcement.name]),
    ResidentsModule,
  ],
  controllers: [AnnouncementsController],
  providers: [AnnouncementsRepository, AnnouncementsService, AnnouncementFollowUpService],
  exports: [AnnouncementsService],
})
export class AnnouncementsModule {}
