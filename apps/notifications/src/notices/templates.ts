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

const RATINGS: Record<NoticeLanguage, Record<string, string>> = {
  [NoticeLanguage.Chinese]: { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' },
  [NoticeLanguage.English]: { satisfied: 'satisfied', basically_satisfied: 'mostly satisfied', dissatisfied: 'dissatisfied' },
};

const OUTCOMES: Record<NoticeLanguage, Record<string, string>> = {
  [NoticeLanguage.Chinese]: { carried: '通过', not_carried: '未通过', no_quorum: '参与人数不足，表决无效' },
  [NoticeLanguage.English]: { carried: 'carried', not_carried: 'not carried', no_quorum: 'too few owners took part' },
};

const DOMAINS: Record<NoticeLanguage, Record<string, string>> = {
  [NoticeLanguage.Chinese]: {
    property_engineering: '物业工程',
    greening_upkeep: '绿化养护',
    community_culture: '社区文化',
    financial_management: '财务管理',
    legal_services: '法律服务',
  },
  [NoticeLanguage.English]: {
    property_engineering: 'property engineering',
    greening_upkeep: 'greening upkeep',
    community_culture: 'community culture',
    financial_management: 'financial management',
    legal_services: 'legal services',
  },
};

const s = (value: string | number | undefined, fallback = ''): string =>
  value === undefined || value === '' ? fallback : String(value);

/** An instant as the community reads it: local date and time in China. */
const when = (iso: string | number | undefined): string => {
  const at = iso === undefined ? NaN : Date.parse(String(iso));
  if (Number.isNaN(at)) return s(iso);
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }).format(at);
};

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
    [NoticeKind.CaseClosed]: (p) => ({
      title: '您反映的问题已办结',
      body: `您反映的“${category(zh, p)}”问题已办结${p.rating ? `，您的评价：${RATINGS[zh][s(p.rating)] ?? s(p.rating)}` : ''}。感谢您的参与。`,
    }),
    [NoticeKind.ActivityCancelled]: (p) => ({
      title: '活动已取消',
      body: `很抱歉，“${s(p.title, '社区活动')}”已取消，您的报名随之取消。`,
    }),
    [NoticeKind.VolunteerHoursRecorded]: (p) => ({
      title: '志愿服务时长已记录',
      body: Number(p.hours) < 0
        ? `您的志愿服务时长已更正 ${s(p.hours)} 小时。`
        : `您的 ${s(p.hours)} 小时志愿服务已记录${p.description ? `（${s(p.description)}）` : ''}，感谢您的付出。`,
    }),
    [NoticeKind.ConsultationCompleted]: (p) => ({
      title: '咨询已办结',
      body: `您提供的${DOMAINS[zh][s(p.domain)] ?? '专业'}咨询意见${p.adopted === 'yes' ? '已被业委会采纳' : p.adopted === 'no' ? '业委会未予采纳' : '已办结'}，感谢您的参与。`,
    }),
    [NoticeKind.BallotOpened]: (p) => ({
      title: '业主表决已开始',
      body: `“${s(p.title, '业主表决')}”已开始投票，截止时间 ${when(p.closesAt)}。`,
    }),
    [NoticeKind.BallotClosed]: (p) => ({
      title: '业主表决已结束',
      body: `“${s(p.title, '业主表决')}”已结束：${OUTCOMES[zh][s(p.outcome)] ?? s(p.outcome)}。`,
    }),
    [NoticeKind.ActionItemDueSoon]: (p) => ({
      title: '会议待办即将到期',
      body: `您负责的待办“${s(p.title, '会议待办')}”将于 ${s(p.dueOn)} 到期，请及时办理。`,
    }),
    [NoticeKind.CaseReopened]: (p) => ({
      title: '诉求被退回重办',
      body: `居民对“${category(zh, p)}”诉求的处理结果不满意，已退回重新办理${p.comment ? `（居民意见：${s(p.comment)}）` : ''}，新的办结期限 ${when(p.dueAt)}。`,
    }),
    [NoticeKind.BallotClosingSoon]: (p) => ({
      title: '业主表决即将截止',
      body: `“${s(p.title, '业主表决')}”将于 ${when(p.closesAt)} 截止投票，尚未投票的业主请及时投票。`,
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
    [NoticeKind.CaseClosed]: (p) => ({
      title: 'Your case is closed',
      body: `Your ${category(en, p)} case is closed${p.rating ? `; your rating: ${RATINGS[en][s(p.rating)] ?? s(p.rating)}` : ''}. Thank you for taking part.`,
    }),
    [NoticeKind.ActivityCancelled]: (p) => ({
      title: 'Activity cancelled',
      body: `We are sorry: "${s(p.title, 'the activity')}" is cancelled, and your registration with it.`,
    }),
    [NoticeKind.VolunteerHoursRecorded]: (p) => ({
      title: 'Volunteer hours recorded',
      body: Number(p.hours) < 0
        ? `Your volunteer hours were corrected by ${s(p.hours)} h.`
        : `${s(p.hours)} h of your volunteering were recorded${p.description ? ` (${s(p.description)})` : ''}. Thank you.`,
    }),
    [NoticeKind.ConsultationCompleted]: (p) => ({
      title: 'Consultation completed',
      body: `Your ${DOMAINS[en][s(p.domain)] ?? ''} advice ${p.adopted === 'yes' ? 'was adopted by the owners\' committee' : p.adopted === 'no' ? 'was not adopted by the owners\' committee' : 'is completed'}. Thank you.`.replace('  ', ' '),
    }),
    [NoticeKind.BallotOpened]: (p) => ({
      title: 'Owners\' vote open',
      body: `Voting on "${s(p.title, 'the ballot')}" is open until ${when(p.closesAt)}.`,
    }),
    [NoticeKind.BallotClosed]: (p) => ({
      title: 'Owners\' vote closed',
      body: `"${s(p.title, 'The ballot')}" closed: ${OUTCOMES[en][s(p.outcome)] ?? s(p.outcome)}.`,
    }),
    [NoticeKind.ActionItemDueSoon]: (p) => ({
      title: 'An action item is due soon',
      body: `"${s(p.title, 'Your action item')}", which you own, is due on ${s(p.dueOn)}.`,
    }),
    [NoticeKind.CaseReopened]: (p) => ({
      title: 'A case came back to be handled again',
      body: `The resident was not satisfied with how the ${category(en, p)} case was handled${p.comment ? ` ("${s(p.comment)}")` : ''}; it is open again, due by ${when(p.dueAt)}.`,
    }),
    [NoticeKind.BallotClosingSoon]: (p) => ({
      title: 'Owners\' vote closing soon',
      body: `Voting on "${s(p.title, 'the ballot')}" closes at ${when(p.closesAt)}. If you have not voted yet, please do.`,
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
