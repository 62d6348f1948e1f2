import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { GridCase, GridCaseSchema } from '../cases/case.schema';
import { HierarchyModule } from '../hierarchy/hierarchy.module';
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
    HierarchyModule,
  ],
  controllers: [MeetingsController],
  providers: [MeetingsRepository, MeetingsService],
  exports: [MeetingsService],
})
export class MeetingsModule {}
