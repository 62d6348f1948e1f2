import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { InboxController } from './inbox.controller';
import { InboxService } from './inbox.service';
import {
  ActivityTitle,
  ActivityTitleSchema,
  AudienceNotice,
  AudienceNoticeSchema,
  CaseReporter,
  CaseReporterSchema,
  PersonalNotice,
  PersonalNoticeSchema,
  ReadMark,
  ReadMarkSchema,
  Recipient,
  RecipientSchema,
} from './notice.schema';
import { NoticeWriter } from './notice-writer.service';
import { NoticesRepository } from './notices.repository';
import { ResidenceCache } from './residence.cache';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: PersonalNotice.name, schema: PersonalNoticeSchema },
      { name: AudienceNotice.name, schema: AudienceNoticeSchema },
      { name: Recipient.name, schema: RecipientSchema },
      { name: ReadMark.name, schema: ReadMarkSchema },
      { name: CaseReporter.name, schema: CaseReporterSchema },
      { name: ActivityTitle.name, schema: ActivityTitleSchema },
    ]),
  ],
  controllers: [InboxController],
  providers: [NoticesRepository, InboxService, NoticeWriter, ResidenceCache],
  exports: [NoticesRepository, NoticeWriter],
})
export class NoticesModule {}
