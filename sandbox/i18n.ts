/**
 * The sandbox's own pages speak English and Spanish from locales/{en,es}/sandbox.json,
 * chosen by `ui_locales` or the browser's Accept-Language.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fill, plural, type PluralForms } from '../src/lib/i18n/format.ts';
import { isLang, type Lang } from '../src/lib/i18n/langs.ts';

const tables: Record<Lang, Record<string, string>> = {
  en: JSON.parse(readFileSync(fileURLToPath(new URL('../locales/en/sandbox.json', import.meta.url)), 'utf8')) as Record<
    string,
    string
  >,
  es: JSON.parse(readFileSync(fileURLToPath(new URL('../locales/es/sandbox.json', import.meta.url)), 'utf8')) as Record<
    string,
    string
  >,
};

/** The first of `ui_locales`, then Accept-Language, that Clara speaks; else English. */
export function pickLang(uiLocales: string | null | undefined, acceptLanguage: string | undefined): Lang {
  const tags = [
    ...(uiLocales ?? '').split(/\s+/),
    ...(acceptLanguage ?? '').split(',').map((part) => part.split(';')[0]?.trim() ?? ''),
  ];
  for (const tag of tags) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  return 'en';
}

export function sandboxT(lang: Lang) {
  const table = tables[lang];
  return (key: string, vars: Record<string, string | number> = {}): string => {
    if (typeof vars['count'] === 'number') {
      const forms: PluralForms = {};
      for (const form of ['one', 'many', 'other'] as const) {
        const value = table[`${key}_${form}`];
        if (value) forms[form] = value;
      }
      if (forms.other) return plural(lang, forms, vars['count'], vars);
    }
    const value = table[key];
    if (value === undefined) throw new Error(`Missing sandbox translation: ${key}`);
    return fill(value, vars);
  };
}
