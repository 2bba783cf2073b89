/**
 * What the plain-language test measures (tests/unit/readability.test.ts):
 * which namespaces a patient reads, the sample values that fill their
 * `{{placeholders}}`, and the short list of words that cannot be simpler.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lang } from '../../../src/lib/i18n/langs.ts';

const LOCALES = join(import.meta.dirname, '../../../locales');

/**
 * Namespaces no patient reads, each with the reason. Every other namespace in
 * locales/en is measured, so a new one is measured from the day it is added.
 */
export const NOT_MEASURED: Record<string, string> = {
  sandbox:
    "The pages of sandbox/, the stand-in for the clinic's health record system. A clinic that deploys Clara points it at its own EHR, whose own sign-in and permission pages patients see; these pages are seen only by developers, testers and demos.",
};

export function measuredNamespaces(): string[] {
  return readdirSync(join(LOCALES, 'en'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .filter((ns) => !(ns in NOT_MEASURED))
    .sort();
}

export function loadNamespace(lang: Lang, ns: string): Record<string, string> {
  return JSON.parse(readFileSync(join(LOCALES, lang, `${ns}.json`), 'utf8')) as Record<string, string>;
}

const CLINIC = (
  JSON.parse(readFileSync(join(import.meta.dirname, '../../../clinic.config.json'), 'utf8')) as {
    clinic: { name: string };
  }
).clinic.name;

/**
 * Realistic values for each placeholder, as the page fills them (the clinic's
 * configured name, a date as Intl writes it, a test's plain name), so a
 * sentence is measured as the patient reads it.
 */
const SAMPLES: Record<Lang, Record<string, string>> = {
  en: {
    clinic: CLINIC,
    patient: 'Adán',
    user: 'Lucía',
    relation: 'daughter',
    app: 'Clara',
    choice: 'Extra large',
    code: 'fr',
    type: 'Immunization',
    count: '2',
    date: 'March 3, 2025',
    day: 'Monday',
    days: 'Monday to Friday',
    from: 'Monday',
    to: 'Friday',
    opens: '8:00 AM',
    closes: '5:00 PM',
    time: '9:30 AM',
    first: '6.1%',
    last: '5.8%',
    firstDate: 'March 2024',
    lastDate: 'March 2025',
    value: '5.8%',
    low: '4.0',
    high: '5.6',
    range: '4.0 to 5.6%',
    unit: 'mg/dL',
    name: 'blood sugar (glucose)',
    names: 'Ana Lopez and Sam Lee',
    note: 'I work until noon',
    phone: '(555) 010-0123',
    times: 'morning or afternoon',
    size: '120 KB',
    text: 'Thank you, see you soon',
  },
  es: {
    clinic: CLINIC,
    patient: 'Adán',
    user: 'Lucía',
    relation: 'hija',
    app: 'Clara',
    choice: 'Muy grande',
    code: 'fr',
    type: 'Immunization',
    count: '2',
    date: '3 de marzo de 2025',
    day: 'lunes',
    days: 'de lunes a viernes',
    from: 'lunes',
    to: 'viernes',
    opens: '8:00',
    closes: '17:00',
    time: '9:30',
    first: '6.1 %',
    last: '5.8 %',
    firstDate: 'marzo de 2024',
    lastDate: 'marzo de 2025',
    value: '5.8 %',
    low: '4.0',
    high: '5.6',
    range: 'de 4.0 a 5.6 %',
    unit: 'mg/dL',
    name: 'azúcar en la sangre (glucosa)',
    names: 'Ana López y Sam Lee',
    note: 'Trabajo hasta el mediodía',
    phone: '(555) 010-0123',
    times: 'en la mañana o en la tarde',
    size: '120 KB',
    text: 'Gracias, nos vemos pronto',
  },
};

/**
 * Placeholders that pages fill with another string of Clara's own (a button's
 * words, quoted in a Help step): the sample is that string, read from the
 * locale files, so the step is measured with the words the patient sees.
 */
const QUOTED: Record<string, [ns: string, key: string]> = {
  signIn: ['common', 'action.signIn'],
  button: ['signin', 'button'],
  results: ['common', 'nav.results'],
  high: ['results', 'flag.high'],
  listen: ['listen', 'listen'],
  ask: ['results', 'view.ask'],
  messages: ['common', 'nav.messages'],
  new: ['messages', 'action.new'],
  send: ['messages', 'compose.send'],
  callMe: ['messages', 'action.callMe'],
  settings: ['common', 'nav.settings'],
  textSize: ['settings', 'textSize.legend'],
  large: ['settings', 'textSize.large'],
  xl: ['settings', 'textSize.xl'],
  signOut: ['common', 'signOut'],
};
for (const lang of ['en', 'es'] as const) {
  for (const [name, [ns, key]] of Object.entries(QUOTED)) {
    const text = loadNamespace(lang, ns)[key];
    if (text === undefined) throw new Error(`plain-language.ts: ${lang}/${ns}.json has no "${key}" for {{${name}}}`);
    SAMPLES[lang][name] ??= text.replace(/\{\{\s*clinic\s*\}\}/g, CLINIC);
  }
  SAMPLES[lang]['address'] ??= 'riverbend.example/clara';
}

/** Where one key fills a placeholder with something else than the usual sample (namespace:key → placeholder → value). */
const BY_KEY: Record<Lang, Record<string, Record<string, string>>> = {
  en: {
    'home:hello': { name: 'Maria' },
    'help:results.step3': { high: 'High' },
    'messages:thread.from': { name: 'Ana Lopez' },
    'messages:thread.open': { name: 'Lab report' },
    'results:view.labName': { name: 'Glucose' },
    'results:value.lessThan': { value: '5' },
    'results:value.atMost': { value: '5' },
    'results:value.moreThan': { value: '60' },
    'results:value.atLeast': { value: '60' },
  },
  es: {
    'home:hello': { name: 'María' },
    'help:results.step3': { high: 'Alto' },
    'messages:thread.from': { name: 'Ana López' },
    'messages:thread.open': { name: 'Informe de laboratorio' },
    'results:view.labName': { name: 'Glucose' },
    'results:value.lessThan': { value: '5' },
    'results:value.atMost': { value: '5' },
    'results:value.moreThan': { value: '60' },
    'results:value.atLeast': { value: '60' },
  },
};

/** The count a plural form is read with: 1 for `_one`, a million for `_many`, otherwise the usual sample. */
function countFor(key: string): string | undefined {
  if (key.endsWith('_one')) return '1';
  if (key.endsWith('_many')) return '1000000';
  return undefined;
}

/** The text with every `{{placeholder}}` filled; throws on a placeholder that has no sample, so none is silently dropped. */
export function fillSample(lang: Lang, ns: string, key: string, text: string): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    const value =
      (name === 'count' ? countFor(key) : undefined) ?? BY_KEY[lang][`${ns}:${key}`]?.[name] ?? SAMPLES[lang][name];
    if (value === undefined)
      throw new Error(
        `No sample value for {{${name}}} in ${lang}/${ns}.json "${key}": add one in tests/unit/support/plain-language.ts`,
      );
    return value;
  });
}

/**
 * Words that cannot be simpler, kept out of the syllables-per-word part of
 * the score (they still count as words in their sentence). Each has its
 * reason; the test fails on a term no measured text uses any more.
 */
export const ALLOW: Record<Lang, Record<string, string>> = {
  en: {
    [CLINIC]: "The clinic's own name, from clinic.config.json.",
  },
  es: {
    [CLINIC]: 'El nombre de la clínica, de clinic.config.json.',
  },
};
