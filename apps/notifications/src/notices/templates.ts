import { NoticeKind, NoticeLanguage } from '@cg/contracts';
import { NoticeParams } from './notice.schema';

export interface NoticeText {
  title: string;
  body: string;
}

type Template = (p: NoticeParams) => NoticeText;

const CASE_CATEGORIES: Record<NoticeLanguage, Record<string, string>> = {
  [NoticeLanguage.Chinese]: {
    group_rental: '群租',
    home_as_business: '居改非',
    illegal_construction: '违章搭建',
    noise: '噪音',
    sanitation: '环境卫生',
    property_maintenance: '物业维修',
    safety_hazard: '安全隐患',
    neighbour_dispute: '邻里纠纷',
    other: '其他',
  },
  [NoticeLanguage.English]: {
    group_rental: 'group rental',
    home_as_business: 'home used as a business',
    illegal_construction: 'illegal construction',
    noise: 'noise',
    sanitation: 'sanitation',
    property_maintenance: 'property maintenance',
    safety_hazard: 'safety hazard',
    neighbour_dispute: 'neighbour dispute',
    other: 'other',
  },
};

const LEVELS: Record<NoticeLanguage, Record<string, string>> = {
  [NoticeLanguage.Chinese]: { area: '居民区', community: '社区', street: '街道' },
  [NoticeLanguage.English]: { area: 'residential area', community: 'community', street: 'street' },
};

const s = (value: string | number | undefined, fallback = ''): string =>
  value === undefined || value === '' ? fallback : String(value);

const zh = NoticeLanguage.Chinese;
const en = NoticeLanguage.English;
const category = (language: NoticeLanguage, p: NoticeParams) =>
  CASE_CATEGORIES[language][s(p.category)] ?? s(p.category, language === zh ? '诉求' : 'case');

const TEMPLATES: Record<NoticeLanguage, Record<NoticeKind, Template>> = {
  [zh]: {
    [NoticeKind.CaseAccepted]: (p) => ({
      title: '您反映的问题已被签收',
      body: `网格已签收您反映的“${category(zh, p)}”问题，正在安排处理。`,
    }),
    [NoticeKind.CaseAssigned]: (p) => ({
      title: '您反映的问题正在处理',
      body: `您反映的“${category(zh, p)}”问题已交由${s(p.assigneeName, '工作人员')}处理。`,
    }),
    [NoticeKind.CaseAssignedToYou]: (p) => ({
      title: '您有一件新的待办诉求',
      body: `一件“${category(zh, p)}”诉求已分派给您，请及时处理。`,
    }),
    [NoticeKind.CaseResolved]: (p) => ({
      title: '您反映的问题已处理完毕',
      body: `您反映的“${category(zh, p)}”问题已处理完毕，请对处理结果进行评价。`,
    }),
    [NoticeKind.CaseEscalated]: (p) => ({
      title: '诉求超时已升级',
      body: `一件诉求未在期限内办结，已升级至${LEVELS[zh][s(p.level)] ?? s(p.level)}层级督办。`,
    }),
    [NoticeKind.RegistrationConfirmed]: (p) => ({
      title: '报名成功',
      body: `您已成功报名“${s(p.title, '社区活动')}”。`,
    }),
    [NoticeKind.RegistrationWaitlisted]: (p) => ({
      title: '已进入候补名单',
      body: `“${s(p.title, '社区活动')}”名额已满，您在候补名单第${s(p.queuePosition, '?')}位。`,
    }),
    [NoticeKind.RegistrationPromoted]: (p) => ({
      title: '候补转正',
      body: `有名额空出，您已从候补名单转为“${s(p.title, '社区活动')}”的正式报名。`,
    }),
    [NoticeKind.RegistrationCancelled]: (p) => ({
      title: '报名已取消',
      body: `您对“${s(p.title, '社区活动')}”的报名已取消。`,
    }),
    [NoticeKind.AnnouncementPublished]: (p) => ({ title: '社区公告', body: s(p.title) }),
    [NoticeKind.MicroWishClaimed]: (p) => ({
      title: '您的微心愿已被认领',
      body: `您的微心愿“${s(p.what, '')}”已被${s(p.claimantName, '爱心人士')}认领。`,
    }),
    [NoticeKind.MicroWishFulfilled]: (p) => ({
      title: '您的微心愿已实现',
      body: `${s(p.claimantName, '认领方')}已完成您的微心愿，请确认。`,
    }),
    [NoticeKind.MicroWishConfirmed]: () => ({
      title: '心愿人已确认',
      body: '您认领的微心愿已由居民确认完成，感谢您的付出。',
    }),
  },
  [en]: {
    [NoticeKind.CaseAccepted]: (p) => ({
      title: 'Your case was signed for',
      body: `The grid signed for your ${category(en, p)} case and is arranging who handles it.`,
    }),
    [NoticeKind.CaseAssigned]: (p) => ({
      title: 'Your case is being handled',
      body: `Your ${category(en, p)} case has been given to ${s(p.assigneeName, 'a staff member')}.`,
    }),
    [NoticeKind.CaseAssignedToYou]: (p) => ({
      title: 'A case was assigned to you',
      body: `A ${category(en, p)} case has been assigned to you.`,
    }),
    [NoticeKind.CaseResolved]: (p) => ({
      title: 'Your case is resolved',
      body: `Your ${category(en, p)} case has been resolved. Please rate how it was handled.`,
    }),
    [NoticeKind.CaseEscalated]: (p) => ({
      title: 'A case was escalated',
      body: `A case passed its deadline and went up to the ${LEVELS[en][s(p.level)] ?? s(p.level)} level.`,
    }),
    [NoticeKind.RegistrationConfirmed]: (p) => ({
      title: 'You are registered',
      body: `You have a place at "${s(p.title, 'the activity')}".`,
    }),
    [NoticeKind.RegistrationWaitlisted]: (p) => ({
      title: 'You are on the waiting list',
      body: `"${s(p.title, 'The activity')}" is full; you are number ${s(p.queuePosition, '?')} on the waiting list.`,
    }),
    [NoticeKind.RegistrationPromoted]: (p) => ({
      title: 'You got a place',
      body: `A place opened up: you moved from the waiting list to a place at "${s(p.title, 'the activity')}".`,
    }),
    [NoticeKind.RegistrationCancelled]: (p) => ({
      title: 'Registration cancelled',
      body: `Your registration for "${s(p.title, 'the activity')}" is cancelled.`,
    }),
    [NoticeKind.AnnouncementPublished]: (p) => ({ title: 'Community notice', body: s(p.title) }),
    [NoticeKind.MicroWishClaimed]: (p) => ({
      title: 'Your micro-wish was claimed',
      body: `${s(p.claimantName, 'Someone')} claimed your micro-wish "${s(p.what, '')}".`,
    }),
    [NoticeKind.MicroWishFulfilled]: (p) => ({
      title: 'Your micro-wish was fulfilled',
      body: `${s(p.claimantName, 'The claimant')} fulfilled your micro-wish. Please confirm.`,
    }),
    [NoticeKind.MicroWishConfirmed]: () => ({
      title: 'The resident confirmed',
      body: 'The resident confirmed the micro-wish you fulfilled. Thank you.',
    }),
  },
};

/** A notice's title and body in `language`; unknown languages fall back to Chinese. */
export function render(kind: NoticeKind, params: NoticeParams, language: NoticeLanguage): NoticeText {
  const templates = TEMPLATES[language] ?? TEMPLATES[zh];
  return templates[kind](params ?? {});
}

/** Every language's text, for live delivery (the gateway picks the reader's). */
export function renderAll(kind: NoticeKind, params: NoticeParams): Record<NoticeLanguage, NoticeText> {
  return { [zh]: render(kind, params, zh), [en]: render(kind, params, en) };
}
