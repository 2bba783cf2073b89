/**
 * Where to go after signing in: only a path of this site, in one of its
 * languages (never another origin, never a protocol-relative URL).
 */
import { isLang, type Lang } from '../i18n/langs.ts';

export function safeReturnPath(candidate: string | null | undefined, base: string, fallback: string): string {
  if (!candidate || !candidate.startsWith(base) || candidate.startsWith('//') || /[\\\s]/.test(candidate))
    return fallback;
  try {
    const url = new URL(candidate, 'https://clara.invalid');
    if (url.origin !== 'https://clara.invalid') return fallback;
    const lang = url.pathname.slice(base.length).split('/')[0];
    if (!isLang(lang)) return fallback;
    if (url.pathname.slice(base.length).startsWith(`${lang}/sign-in`)) return fallback;
    return url.pathname + url.search;
  } catch {
    return fallback;
  }
}

/** The language of a site path ("/es/results/" → "es"). */
export function langOfPath(path: string, base: string, fallback: Lang): Lang {
  const lang = path.slice(base.length).split('/')[0];
  return isLang(lang) ? lang : fallback;
}
