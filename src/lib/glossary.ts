/**
 * The plain-language glossary of tests (locales/{en,es}/labs.json), keyed
 * by canonical LOINC code. Build time only: pages pass names to islands, and
 * the whole glossary of a language is published as /{lang}/labs/glossary.json
 * for the result page (never one file per test: a request must not say
 * which test a patient opened).
 */
import type { Lang } from './i18n/langs.ts';
import { resources } from './i18n/resources.ts';

export interface GlossaryEntry {
  name: string;
  what: string;
  high?: string;
  low?: string;
  abnormal?: string;
}

const FIELDS = ['name', 'what', 'high', 'low', 'abnormal'] as const;

function table(lang: Lang): Record<string, string> {
  return resources[lang].labs as Record<string, string>;
}

export function glossaryCodes(): string[] {
  return [...new Set(Object.keys(table('en')).map((k) => k.slice(0, k.lastIndexOf('.'))))].sort();
}

export function glossaryEntry(lang: Lang, code: string): GlossaryEntry | undefined {
  const t = table(lang);
  const name = t[`${code}.name`];
  const what = t[`${code}.what`];
  if (!name || !what) return undefined;
  const entry: Record<string, string> = {};
  for (const field of FIELDS) {
    const value = t[`${code}.${field}`];
    if (value) entry[field] = value;
  }
  return entry as unknown as GlossaryEntry;
}

/** Plain names of every test, for lists. */
export function glossaryNames(lang: Lang): Record<string, string> {
  return Object.fromEntries(glossaryCodes().map((code) => [code, table(lang)[`${code}.name`] ?? '']));
}

/** Every entry of a language, by code: the published glossary file. */
export function glossaryFile(lang: Lang): Record<string, GlossaryEntry> {
  const out: Record<string, GlossaryEntry> = {};
  for (const code of glossaryCodes()) {
    const entry = glossaryEntry(lang, code);
    if (entry) out[code] = entry;
  }
  return out;
}
