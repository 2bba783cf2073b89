/** The languages Clara is written in. Every string exists in each of them. */
export const LANGS = ['en', 'es'] as const;
export type Lang = (typeof LANGS)[number];

/** BCP 47 locale used with `Intl` for each language (US English, US Spanish). */
export const LOCALES: Record<Lang, string> = { en: 'en-US', es: 'es-US' };

/** Each language's own name for itself, shown in language switches. */
export const ENDONYMS: Record<Lang, string> = { en: 'English', es: 'Español' };

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** The other language of the pair, for the language switch. */
export function otherLang(lang: Lang): Lang {
  return lang === 'en' ? 'es' : 'en';
}

/**
 * Picks the patient's language from a browser's preference list
 * (`navigator.languages`), or `fallback` when none of them is one of ours.
 */
export function preferredLang(browserLangs: readonly string[], fallback: Lang): Lang {
  for (const tag of browserLangs) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  return fallback;
}
