import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsString, Matches, MaxLength } from 'class-validator';
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
}

/** Notice ids are derived from event ids: `<eventId>` or `<eventId>:<personId>`. */
export const NOTICE_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}(:[A-Za-z0-9._-]{1,64})?$/;

export class NoticeLinkView {
  @ApiProperty({ enum: ['case', 'activity', 'announcement', 'micro-wish'] }) kind: string;
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

export class NoticePreferencesView {
  @ApiProperty({ enum: NoticeLanguage }) language: NoticeLanguage;
}

export class SetNoticePreferencesDto {
  @ApiProperty({ enum: NoticeLanguage, example: NoticeLanguage.Chinese })
  @IsEnum(NoticeLanguage)
  language: NoticeLanguage;
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
