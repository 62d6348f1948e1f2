import { Module } from '@nestjs/common';
import { NoticesModule } from '../notices/notices.module';
import { EventNotices } from './event-notices.service';

@Module({
  imports: [NoticesModule],
  providers: [EventNotices],
  exports: [EventNotices],
})
export class EventsModule {}
