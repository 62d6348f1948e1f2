import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ResidentsModule } from '../residents/residents.module';
import {
  Announcement,
  AnnouncementPublication,
  AnnouncementPublicationSchema,
  AnnouncementSchema,
  ReadReceipt,
  ReadReceiptSchema,
} from './announcement.schema';
import { AnnouncementsController } from './announcements.controller';
import { AnnouncementsRepository } from './announcements.repository';
import { AnnouncementsService } from './announcements.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Announcement.name, schema: AnnouncementSchema },
      { name: AnnouncementPublication.name, schema: AnnouncementPublicationSchema },
      { name: ReadReceipt.name, schema: ReadReceiptSchema },
    ]),
    ResidentsModule,
  ],
  controllers: [AnnouncementsController],
  providers: [AnnouncementsRepository, AnnouncementsService],
  exports: [AnnouncementsService],
})
export class AnnouncementsModule {}
