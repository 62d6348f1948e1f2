import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxModule } from '@cg/messaging';
import { GridCase, GridCaseSchema } from '../cases/case.schema';
import { HierarchyModule } from '../hierarchy/hierarchy.module';
import { SettingsModule } from '../settings/settings.module';
import { ActionItemReminders } from './action-item-reminders.service';
import { Meeting, MeetingSchema } from './meeting.schema';
import { MeetingsController } from './meetings.controller';
import { MeetingsRepository } from './meetings.repository';
import { MeetingsService } from './meetings.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Meeting.name, schema: MeetingSchema },
      // The same model the cases feature registers, read here only to build agendas.
      { name: GridCase.name, schema: GridCaseSchema },
    ]),
    OutboxModule.forFeature([Meeting.name]),
    HierarchyModule,
    SettingsModule,
  ],
  controllers: [MeetingsController],
  providers: [MeetingsRepository, MeetingsService, ActionItemReminders],
  exports: [MeetingsService],
})
export class MeetingsModule {}
