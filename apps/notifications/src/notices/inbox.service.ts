import { Injectable } from '@nestjs/common';
import {
  DEFAULT_NOTICE_LANGUAGE,
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  NoticeLanguage,
  NoticePage,
  NoticeQueryDto,
  NoticeStreamView,
  NoticeView,
  NotificationSubjects,
  Principal,
  ReadAllView,
  UnreadCountView,
} from '@cg/contracts';
import { entriesAfter, inboxPage, isRead } from './inbox';
import { readerIdOf, readerKeys } from './audiences';
import { Recipient } from './notice.schema';
import { StoredNotice, toNoticeView } from './notice-views';
import { NoticesRepository } from './notices.repository';
import { ResidenceCache } from './residence.cache';

interface Inbox {
  readerId: string;
  recipient: Recipient | null;
  keys: string[];
  notices: StoredNotice[];
  read: (notice: StoredNotice) => boolean;
}

const SINCE_LIMIT = 100;

/**
 * A reader's inbox is computed on read: their personal notices (ids from their recipient document, read by `_id`)
 * plus the audience notices of their keys, less what they have read (watermark and read marks).
 */
@Injectable()
export class InboxService {
  constructor(
    private readonly notices: NoticesRepository,
    private readonly residences: ResidenceCache,
  ) {}

  async list(caller: Principal, query: NoticeQueryDto): Promise<NoticePage> {
    const inbox = await this.load(caller);
    const language = languageOf(inbox.recipient);
    const page = inboxPage(inbox.notices.map(entryOf), (e) => inbox.read(e.notice), query.cursor, query.limit ?? DEFAULT_PAGE_SIZE);
    return {
      items: page.items.map(({ entry, read }) => toNoticeView(entry.notice, read, language)),
      ...(page.nextCursor && { nextCursor: page.nextCursor }),
    };
  }

  async unreadCount(caller: Principal): Promise<UnreadCountView> {
    const inbox = await this.load(caller);
    return { unread: inbox.notices.filter((n) => !inbox.read(n)).length };
  }

  async markRead(caller: Principal, noticeId: string): Promise<NoticeView> {
    const readerId = readerIdOf(caller);
    const [notice, recipient] = await Promise.all([this.concerning(caller, noticeId), this.notices.findRecipient(readerId)]);
    await this.notices.markRead(readerId, noticeId, new Date());
    return toNoticeView(notice, true, languageOf(recipient));
  }

  async markAllRead(caller: Principal): Promise<ReadAllView> {
    const readAllAt = new Date();
    await this.notices.setReadAll(readerIdOf(caller), readAllAt);
    return { readAllAt: readAllAt.toISOString(), ...(await this.unreadCount(caller)) };
  }

  /** The notices after `afterId`, oldest first; none when that notice is unknown to this reader. */
  async since(caller: Principal, afterId: string, limit = SINCE_LIMIT): Promise<NoticeView[]> {
    const inbox = await this.load(caller);
    const from = inbox.notices.find((n) => n._id === afterId) ?? (await this.concerning(caller, afterId).catch(() => undefined));
    if (!from) return [];
    const language = languageOf(inbox.recipient);
    return entriesAfter(inbox.notices.map(entryOf), entryOf(from), Math.min(limit, SINCE_LIMIT)).map((e) =>
      toNoticeView(e.notice, inbox.read(e.notice), language),
    );
  }

  async openStream(caller: Principal): Promise<NoticeStreamView> {
    const [recipient, keys] = await Promise.all([this.notices.findRecipient(readerIdOf(caller)), this.keysOf(caller)]);
    return {
      language: languageOf(recipient),
      subjects: [
        ...(caller.personId ? [NotificationSubjects.person(caller.personId)] : []),
        ...keys.map(NotificationSubjects.audience),
      ],
    };
  }

  private async load(caller: Principal): Promise<Inbox> {
    const readerId = readerIdOf(caller);
    const now = new Date();
    const [recipient, keys] = await Promise.all([this.notices.findRecipient(readerId), this.keysOf(caller)]);
    const [personal, audience] = await Promise.all([
      this.notices.personalByIds((recipient?.recent ?? []).map((r) => r.id)),
      this.notices.audienceFor(keys, now),
    ]);
    const notices: StoredNotice[] = [...personal.filter((n) => n.personId === caller.personId), ...audience];
    const watermark = recipient?.readAllAt;
    // Read marks matter only for notices stored after the watermark.
    const marks = await this.notices.readOf(
      readerId,
      notices.filter((n) => !isRead(entryOf(n), watermark, new Set())).map((n) => n._id),
    );
    return { readerId, recipient, keys, notices, read: (n) => isRead(entryOf(n), watermark, marks) };
  }

  private async keysOf(caller: Principal): Promise<string[]> {
    const communityId = caller.communityIds[0];
    const place = caller.personId && communityId ? await this.residences.placeOf(communityId, caller.personId) : undefined;
    return readerKeys(caller, place);
  }

  /** The notice, when it is addressed to the caller; else NOT_FOUND, as for one that does not exist. */
  private async concerning(caller: Principal, noticeId: string): Promise<StoredNotice> {
    const personal = noticeId.includes(':') ? await this.notices.findPersonal(noticeId) : null;
    if (personal && caller.personId && personal.personId === caller.personId) return personal;
    const audience = personal ? null : await this.notices.findAudience(noticeId);
    if (audience) {
      const keys = new Set(await this.keysOf(caller));
      if (audience.audiences.some((k) => keys.has(k)) && audience.at.getTime() <= Date.now()) return audience;
    }
    throw new DomainException(ErrorCode.NOT_FOUND, `No notice ${noticeId} for you`);
  }
}

function languageOf(recipient: Recipient | null): NoticeLanguage {
  return recipient?.language ?? DEFAULT_NOTICE_LANGUAGE;
}

function entryOf(notice: StoredNotice) {
  return { id: notice._id, at: new Date(notice.at), storedAt: new Date(notice.storedAt), notice };
}

