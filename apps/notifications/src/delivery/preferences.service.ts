import { Injectable } from '@nestjs/common';
import {
  DEFAULT_DIGEST_AT,
  DEFAULT_NOTICE_LANGUAGE,
  DEFAULT_NOTICE_TIME_ZONE,
  DomainException,
  ErrorCode,
  NoticeChannelName,
  NoticePreferencesView,
  Principal,
  SetNoticePreferencesDto,
} from '@cg/contracts';
import { readerIdOf } from '../notices/audiences';
import { NoticesRepository } from '../notices/notices.repository';
import { DeliveriesRepository } from './deliveries.repository';
import { NoticePreferences } from './delivery.schema';
import { ChannelChoice } from './outbound-rules';
import { outboundPreferences } from './outbound.service';

const CHANNELS = Object.values(NoticeChannelName);

function validTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The language (kept with the inbox) and the outbound choices (kept apart, only for people who set them). */
@Injectable()
export class PreferencesService {
  constructor(
    private readonly notices: NoticesRepository,
    private readonly deliveries: DeliveriesRepository,
  ) {}

  async get(caller: Principal): Promise<NoticePreferencesView> {
    const readerId = readerIdOf(caller);
    const [recipient, doc] = await Promise.all([this.notices.findRecipient(readerId), this.deliveries.preferencesOf(readerId)]);
    return toView(recipient?.language ?? DEFAULT_NOTICE_LANGUAGE, doc);
  }

  async set(caller: Principal, dto: SetNoticePreferencesDto): Promise<NoticePreferencesView> {
    if (dto.timeZone !== undefined && !validTimeZone(dto.timeZone)) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'Unknown time zone', [{ field: 'timeZone', reason: 'not an IANA time zone' }]);
    }
    const outbound = dto.email ?? dto.phone ?? dto.wechatOpenId ?? dto.channels ?? dto.quietHours ?? dto.timeZone ?? dto.digest;
    if (outbound !== undefined && !caller.personId) {
      throw new DomainException(ErrorCode.FORBIDDEN, 'Only residents and staff linked to a person receive notices outside the app');
    }
    const readerId = readerIdOf(caller);
    if (dto.language) await this.notices.setLanguage(readerId, dto.language);
    if (outbound !== undefined || dto.quietHours === null) {
      const current = await this.deliveries.preferencesOf(readerId);
      const channels: Partial<Record<NoticeChannelName, ChannelChoice>> = { ...(current?.channels ?? {}) };
      for (const name of CHANNELS) {
        const given = dto.channels?.[name];
        if (given) channels[name] = { enabled: given.enabled, mutedKinds: [...new Set(given.mutedKinds ?? [])] };
      }
      const set: Partial<NoticePreferences> = {
        communityIds: caller.communityIds,
        roles: caller.roles,
        channels,
        outbound: CHANNELS.some((name) => channels[name]?.enabled),
        ...(dto.email !== undefined && { email: dto.email.toLowerCase() }),
        ...(dto.phone !== undefined && { phone: dto.phone }),
        ...(dto.wechatOpenId !== undefined && { wechatOpenId: dto.wechatOpenId }),
        ...(dto.quietHours !== undefined && { quietHours: dto.quietHours }),
        ...(dto.timeZone !== undefined && { timeZone: dto.timeZone }),
        ...(dto.digest !== undefined && { digest: { enabled: dto.digest.enabled, at: dto.digest.at ?? current?.digest?.at ?? DEFAULT_DIGEST_AT } }),
      };
      await this.deliveries.savePreferences(readerId, { $set: set });
    }
    return this.get(caller);
  }
}

function toView(language: NoticePreferencesView['language'], doc: NoticePreferences | null): NoticePreferencesView {
  const prefs = outboundPreferences(doc);
  const channel = (name: NoticeChannelName) => ({
    enabled: prefs?.channels[name]?.enabled ?? false,
    mutedKinds: prefs?.channels[name]?.mutedKinds ?? [],
  });
  return {
    language,
    ...(prefs?.email && { email: prefs.email }),
    ...(prefs?.phone && { phone: prefs.phone }),
    ...(prefs?.wechatOpenId && { wechatOpenId: prefs.wechatOpenId }),
    channels: { email: channel(NoticeChannelName.Email), sms: channel(NoticeChannelName.Sms), wechat: channel(NoticeChannelName.WeChat) },
    ...(prefs?.quietHours && { quietHours: prefs.quietHours }),
    timeZone: prefs?.timeZone ?? DEFAULT_NOTICE_TIME_ZONE,
    digest: prefs?.digest ?? { enabled: false, at: DEFAULT_DIGEST_AT },
  };
}
