import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { DeliveriesRepository } from '../delivery/deliveries.repository';
import { Delivery, DeliverySchema, NoticePreferences, NoticePreferencesSchema } from '../delivery/delivery.schema';
import { EmailChannel } from '../delivery/email.channel';
import { SmsChannel, WeChatChannel } from '../delivery/http.channels';
import { NOTICE_CHANNELS } from '../delivery/notice-channel';
import { OutboundService } from '../delivery/outbound.service';
import { PreferencesService } from '../delivery/preferences.service';
import { NOTIFICATIONS_OPTIONS, NotificationsOptions } from '../options';
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
      { name: Delivery.name, schema: DeliverySchema },
      { name: NoticePreferences.name, schema: NoticePreferencesSchema },
    ]),
  ],
  controllers: [InboxController],
  providers: [
    NoticesRepository,
    InboxService,
    NoticeWriter,
    ResidenceCache,
    DeliveriesRepository,
    OutboundService,
    PreferencesService,
    {
      provide: NOTICE_CHANNELS,
      inject: [NOTIFICATIONS_OPTIONS],
      useFactory: (o: NotificationsOptions) => [
        new EmailChannel(o.smtpUrl, o.mailFrom),
        new SmsChannel(o.smsUrl, o.smsToken),
        new WeChatChannel(o.wechatUrl, o.wechatToken, o.wechatTemplateId),
      ],
    },
  ],
  exports: [NoticesRepository, NoticeWriter, OutboundService],
})
export class NoticesModule {}
