import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../common/pagination';
import { rpc } from '../rpc';

export enum NoticeLanguage {
  Chinese = 'zh-CN',
  English = 'en',
}

export const DEFAULT_NOTICE_LANGUAGE = NoticeLanguage.Chinese;

/** What a notice tells; the title and body are rendered from it in the reader's language. */
export enum NoticeKind {
  CaseAccepted = 'case.accepted',
  CaseAssigned = 'case.assigned',
  CaseAssignedToYou = 'case.assigned-to-you',
  CaseResolved = 'case.resolved',
  CaseEscalated = 'case.escalated',
  RegistrationConfirmed = 'registration.confirmed',
  RegistrationWaitlisted = 'registration.waitlisted',
  RegistrationPromoted = 'registration.promoted',
  RegistrationCancelled = 'registration.cancelled',
  AnnouncementPublished = 'announcement.published',
  MicroWishClaimed = 'micro-wish.claimed',
  MicroWishFulfilled = 'micro-wish.fulfilled',
  MicroWishConfirmed = 'micro-wish.confirmed',
  CaseClosed = 'case.closed',
  ActivityCancelled = 'activity.cancelled',
  VolunteerHoursRecorded = 'volunteer-hours.recorded',
  ConsultationCompleted = 'consultation.completed',
  BallotOpened = 'ballot.opened',
  BallotClosed = 'ballot.closed',
  ActionItemDueSoon = 'action-item.due-soon',
  CaseReopened = 'case.reopened',
  BallotClosingSoon = 'ballot.closing-soon',
}

/** Ways a notice also leaves the system, besides the inbox. */
export enum NoticeChannelName {
  Email = 'email',
  Sms = 'sms',
  WeChat = 'wechat',
}

/** Local time of day, 24 h. */
const TIME_OF_DAY = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/** Notice ids are derived from event ids: `<eventId>` or `<eventId>:<personId>`. */
export const NOTICE_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}(:[A-Za-z0-9._-]{1,64})?$/;

export class NoticeLinkView {
  @ApiProperty({ enum: ['case', 'activity', 'announcement', 'micro-wish', 'consultation', 'ballot'] }) kind: string;
  @ApiProperty() id: string;
}

export class NoticeView {
  @ApiProperty({ description: 'Derived from the event that caused it; also the SSE event id' }) id: string;
  @ApiProperty() communityId: string;
  @ApiProperty({ enum: NoticeKind }) kind: NoticeKind;
  @ApiProperty({ description: "In the reader's language" }) title: string;
  @ApiProperty({ description: "In the reader's language" }) body: string;
  @ApiProperty({ description: 'When it happened' }) at: string;
  @ApiProperty() read: boolean;
  @ApiProperty({ enum: ['personal', 'audience'], description: 'To me alone, or to my community, area, grid, building or role' })
  addressedTo: 'personal' | 'audience';
  @ApiPropertyOptional({ type: NoticeLinkView }) link?: NoticeLinkView;
}

export class NoticePage {
  @ApiProperty({ type: [NoticeView] }) items: NoticeView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class UnreadCountView {
  @ApiProperty({ example: 3 }) unread: number;
}

export class ReadAllView {
  @ApiProperty({ description: 'Everything stored up to this instant counts as read' }) readAllAt: string;
  @ApiProperty({ example: 0 }) unread: number;
}

export class ChannelPreferenceDto {
  @ApiProperty({ description: 'Send notices over this channel', example: true })
  @IsBoolean()
  enabled: boolean;

  @ApiPropertyOptional({ enum: NoticeKind, isArray: true, description: 'Kinds of notice this channel does not send' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsEnum(NoticeKind, { each: true })
  mutedKinds?: NoticeKind[];
}

export class ChannelPreferencesDto {
  @ApiPropertyOptional({ type: ChannelPreferenceDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChannelPreferenceDto)
  email?: ChannelPreferenceDto;

  @ApiPropertyOptional({ type: ChannelPreferenceDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChannelPreferenceDto)
  sms?: ChannelPreferenceDto;

  @ApiPropertyOptional({ type: ChannelPreferenceDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChannelPreferenceDto)
  wechat?: ChannelPreferenceDto;
}

export class QuietHoursDto {
  @ApiProperty({ example: '22:00', description: 'Local time (see timeZone) from which nothing is sent' })
  @Matches(TIME_OF_DAY, { message: 'start must be HH:MM' })
  start: string;

  @ApiProperty({ example: '07:00', description: 'Local time at which sending resumes; before start means the next day' })
  @Matches(TIME_OF_DAY, { message: 'end must be HH:MM' })
  end: string;
}

export class DailyDigestDto {
  @ApiProperty({ description: 'One e-mail a day with the day\'s notices instead of one e-mail each', example: false })
  @IsBoolean()
  enabled: boolean;

  @ApiPropertyOptional({ example: '20:00', default: '20:00', description: 'Local time the digest is sent' })
  @IsOptional()
  @Matches(TIME_OF_DAY, { message: 'at must be HH:MM' })
  at?: string;
}

export const DEFAULT_NOTICE_TIME_ZONE = 'Asia/Shanghai';
export const DEFAULT_DIGEST_AT = '20:00';

export class ChannelPreferenceView {
  @ApiProperty() enabled: boolean;
  @ApiProperty({ enum: NoticeKind, isArray: true }) mutedKinds: NoticeKind[];
}

export class ChannelPreferencesView {
  @ApiProperty({ type: ChannelPreferenceView }) email: ChannelPreferenceView;
  @ApiProperty({ type: ChannelPreferenceView }) sms: ChannelPreferenceView;
  @ApiProperty({ type: ChannelPreferenceView }) wechat: ChannelPreferenceView;
}

export class QuietHoursView {
  @ApiProperty({ example: '22:00' }) start: string;
  @ApiProperty({ example: '07:00' }) end: string;
}

export class DailyDigestView {
  @ApiProperty() enabled: boolean;
  @ApiProperty({ example: '20:00' }) at: string;
}

export class NoticePreferencesView {
  @ApiProperty({ enum: NoticeLanguage }) language: NoticeLanguage;
  @ApiPropertyOptional({ example: 'li.ming@example.org' }) email?: string;
  @ApiPropertyOptional({ example: '+8613800001234' }) phone?: string;
  @ApiPropertyOptional({ description: 'WeChat OpenID of the official account' }) wechatOpenId?: string;
  @ApiProperty({ type: ChannelPreferencesView, description: 'Every channel is off until turned on' })
  channels: ChannelPreferencesView;
  @ApiPropertyOptional({ type: QuietHoursView }) quietHours?: QuietHoursView;
  @ApiProperty({ example: DEFAULT_NOTICE_TIME_ZONE }) timeZone: string;
  @ApiProperty({ type: DailyDigestView }) digest: DailyDigestView;
}

/** Fields left out keep their stored value; `quietHours: null` removes the quiet hours. */
export class SetNoticePreferencesDto {
  @ApiPropertyOptional({ enum: NoticeLanguage, example: NoticeLanguage.Chinese })
  @IsOptional()
  @IsEnum(NoticeLanguage)
  language?: NoticeLanguage;

  @ApiPropertyOptional({ example: 'li.ming@example.org', description: 'Where e-mail notices go' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '+8613800001234', description: 'Where SMS notices go' })
  @IsOptional()
  @Matches(/^\+?[0-9]{5,20}$/, { message: 'phone must be 5-20 digits, optionally with a leading +' })
  phone?: string;

  @ApiPropertyOptional({ description: 'WeChat OpenID that template messages go to' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{6,64}$/, { message: 'wechatOpenId is not an OpenID' })
  wechatOpenId?: string;

  @ApiPropertyOptional({ type: ChannelPreferencesDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ChannelPreferencesDto)
  channels?: ChannelPreferencesDto;

  @ApiPropertyOptional({ type: QuietHoursDto, nullable: true, description: 'No e-mail, SMS or WeChat message inside them: sent at their end' })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuietHoursDto)
  quietHours?: QuietHoursDto | null;

  @ApiPropertyOptional({ example: DEFAULT_NOTICE_TIME_ZONE, description: 'IANA time zone of the quiet hours and the digest' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  @ApiPropertyOptional({ type: DailyDigestDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => DailyDigestDto)
  digest?: DailyDigestDto;
}

export class NoticePathDto {
  @ApiProperty({ description: 'Notice id', example: '3f1c2a4e-8a0b-4c57-9d1e-2b7f0c9a1d11:65f000000000000000000001' })
  @IsString()
  @MaxLength(129)
  @Matches(NOTICE_ID_PATTERN)
  id: string;
}

export class NoticeQueryDto extends PageQueryDto {}

/** A notice as the service publishes it live: rendered in every language, for the gateway to pick. */
export interface LiveNotice {
  notice: Omit<NoticeView, 'title' | 'body'>;
  texts: Record<NoticeLanguage, { title: string; body: string }>;
}

export interface NoticeStreamView {
  language: NoticeLanguage;
  /** Core NATS subjects carrying this person's live notices (see NotificationSubjects). */
  subjects: string[];
}

export const NotificationsRpc = {
  list: rpc<{ page: NoticeQueryDto }, NoticePage>('notifications.inbox.list'),
  unreadCount: rpc<Record<string, never>, UnreadCountView>('notifications.inbox.unread-count'),
  markRead: rpc<{ noticeId: string }, NoticeView>('notifications.inbox.mark-read'),
  markAllRead: rpc<Record<string, never>, ReadAllView>('notifications.inbox.mark-all-read'),
  /** Notices after `afterId` (exclusive), oldest first: what a reconnecting stream missed. */
  since: rpc<{ afterId: string; limit?: number }, NoticeView[]>('notifications.inbox.since'),
  openStream: rpc<Record<string, never>, NoticeStreamView>('notifications.stream.open'),
  getPreferences: rpc<Record<string, never>, NoticePreferencesView>('notifications.preferences.get'),
  setPreferences: rpc<{ preferences: SetNoticePreferencesDto }, NoticePreferencesView>('notifications.preferences.set'),
} as const;

/** Live delivery: plain NATS subjects (no JetStream), one per person and one per audience key. */
export const NotificationSubjects = {
  prefix: 'notifications.live',
  person: (personId: string) => `notifications.live.person.${personId}`,
  /** `key` is an audience key such as `building.<id>` or `role.<communityId>.community_staff`. */
  audience: (key: string) => `notifications.live.audience.${key}`,
} as const;
