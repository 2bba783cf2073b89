/** Helpers shared by the page shells. */
import config from 'virtual:clara/config';
import { isLang, type Lang } from './i18n/langs.ts';

/** One static path per configured language: /en/…, /es/…. */
export function langPaths(): { params: { lang: Lang } }[] {
  return config.languages.map((lang) => ({ params: { lang } }));
}

/** The page's language from its route parameter. */
export function pageLang(param: string | undefined): Lang {
  if (!isLang(param)) throw new Error(`Unknown language in route: ${String(param)}`);
  return param;
}
