import { NoticeKind, NoticeLanguage } from '@cg/contracts';
import { render, renderAll } from './templates';

describe('notice templates', () => {
  it('renders every kind in Chinese and English with the values filled in', () => {
    for (const kind of Object.values(NoticeKind)) {
      const texts = renderAll(kind, { title: 'Lawn music festival', category: 'noise', claimantName: 'Bank', level: 'community' });
      expect(texts[NoticeLanguage.Chinese].title).not.toEqual('');
      expect(texts[NoticeLanguage.English].title).not.toEqual('');
      expect(texts[NoticeLanguage.Chinese].title).not.toEqual(texts[NoticeLanguage.English].title);
    }
  });

  it('names the case category and the assignee in the reader language', () => {
    const params = { category: 'noise', assigneeName: 'Sun Li' };
    expect(render(NoticeKind.CaseAssigned, params, NoticeLanguage.Chinese).body).toBe('您反映的“噪音”问题已交由Sun Li处理。');
    expect(render(NoticeKind.CaseAssigned, params, NoticeLanguage.English).body).toBe('Your noise case has been given to Sun Li.');
  });

  it('gives a ballot closing soon its closing time in China and a case sent back the reporter\'s comment', () => {
    const ballot = { title: 'Replace the lifts', closesAt: '2026-12-20T10:00:00Z' };
    expect(render(NoticeKind.BallotClosingSoon, ballot, NoticeLanguage.Chinese).body).toBe(
      '“Replace the lifts”将于 2026-12-20 18:00 截止投票，尚未投票的业主请及时投票。',
    );
    const reopened = { category: 'noise', comment: 'Still loud', dueAt: '2026-12-09T02:00:00Z' };
    expect(render(NoticeKind.CaseReopened, reopened, NoticeLanguage.English).body).toBe(
      'The resident was not satisfied with how the noise case was handled ("Still loud"); it is open again, due by 2026-12-09 10:00.',
    );
  });

  it('falls back to Chinese for a language it does not know and to a neutral word for a missing value', () => {
    const text = render(NoticeKind.RegistrationConfirmed, {}, 'fr' as NoticeLanguage);
    expect(text.body).toBe('您已成功报名“社区活动”。');
  });
});
