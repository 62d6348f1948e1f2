import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { WorkCalendarYear, WorkCalendarYearSchema } from './calendar.schema';
import { CalendarsController } from './calendars.controller';
import { CalendarsService } from './calendars.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: WorkCalendarYear.name, schema: WorkCalendarYearSchema }])],
  controllers: [CalendarsController],
  providers: [CalendarsService],
  exports: [CalendarsService],
})
export class CalendarsModule {}
