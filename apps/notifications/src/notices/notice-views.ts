import { LiveNotice, NoticeLanguage, NoticeView } from '@cg/contracts';
import { AudienceNotice, PersonalNotice } from './notice.schema';
import { render, renderAll } from './templates';

export type StoredNotice = PersonalNotice | AudienceNotice;

export const isPersonal = (notice: StoredNotice): notice is PersonalNotice => 'personId' in notice;

function base(notice: StoredNotice, read: boolean): Omit<NoticeView, 'title' | 'body'> {
  return {
    id: notice._id,
    communityId: notice.communityId,
    kind: notice.kind,
    at: new Date(notice.at).toISOString(),
    read,
    addressedTo: isPersonal(notice) ? 'personal' : 'audience',
    ...(notice.link && { link: { kind: notice.link.kind, id: notice.link.id } }),
  };
}

export function toNoticeView(notice: StoredNotice, read: boolean, language: NoticeLanguage): NoticeView {
  return { ...base(notice, read), ...render(notice.kind, notice.params, language) };
}

export function toLiveNotice(notice: StoredNotice): LiveNotice {
  return { notice: base(notice, false), texts: renderAll(notice.kind, notice.params) };
}
