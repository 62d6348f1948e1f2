import { headerLanguage } from './export-language';

describe('headerLanguage', () => {
  it('is English without a header', () => {
    expect(headerLanguage(undefined)).toBe('en');
  });

  it('is Chinese when a Chinese tag comes first', () => {
    expect(headerLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
  });

  it('follows the quality values rather than the order', () => {
    expect(headerLanguage('en;q=0.5, zh-Hans;q=0.9')).toBe('zh');
    expect(headerLanguage('zh;q=0.3, en-GB')).toBe('en');
  });

  it('skips languages it has no headers in', () => {
    expect(headerLanguage('fr-FR, zh-TW;q=0.8')).toBe('zh');
    expect(headerLanguage('de')).toBe('en');
  });
});
