export type HeaderLanguage = 'zh' | 'en';

/** The header language of an export: Chinese when the client prefers it to English, else English. */
export function headerLanguage(acceptLanguage: string | undefined): HeaderLanguage {
  if (!acceptLanguage) return 'en';
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag, q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter(({ tag, q }) => tag && Number.isFinite(q) && q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const first = ranked.find(({ tag }) => tag.startsWith('zh') || tag.startsWith('en'));
  return first?.tag.startsWith('zh') ? 'zh' : 'en';
}
