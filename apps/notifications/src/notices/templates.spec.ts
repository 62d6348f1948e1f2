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

  it('falls back to Chinese for a language it does not know and to a neutral word for a missing value', () => {
    const text = render(NoticeKind.RegistrationConfirmed, {}, 'fr' as NoticeLanguage);
    expect(text.body).toBe('您已成功报名“社区活动”。');
  });
});
