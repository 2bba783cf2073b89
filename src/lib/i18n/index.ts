/**
 * Build-time translation: i18next with one JSON file per namespace and
 * language (locales/{en,es}/*.json), flat dotted keys, and a typed `t()` so a
 * wrong key fails `npm run check`.
 *
 * Pages render text at build time. Islands never ship i18next: a page passes
 * an island the few finished strings it needs (see `pick()`), and islands
 * format plurals and dates with `Intl` (./format.ts).
 */
import i18next, { type TOptions } from 'i18next';
import { LOCALES, type Lang } from './langs.ts';
import { resources, type Resources } from './resources.ts';

export { LANGS, LOCALES, ENDONYMS, isLang, otherLang, type Lang } from './langs.ts';

export type Namespace = keyof Resources;

type PluralSuffix = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
type StripPlural<K extends string> = K extends `${infer Base}_${PluralSuffix}` ? Base : K;
export type KeysOf<N extends Namespace> = StripPlural<keyof Resources[N] & string>;

/** Every valid key: `common` keys bare ("nav.home"), others as "ns:key" ("results:list.title"). */
export type Key = { [N in Namespace]: N extends 'common' ? KeysOf<N> : `${N}:${KeysOf<N>}` }[Namespace];

/** Values to put into `{{placeholders}}`; `count` also chooses the plural form. */
export type Vars = Record<string, string | number>;

const instance = i18next.createInstance();
void instance.init({
  resources,
  lng: 'en',
  fallbackLng: false,
  supportedLngs: ['en', 'es'],
  ns: Object.keys(resources.en),
  defaultNS: 'common',
  keySeparator: false,
  nsSeparator: ':',
  // Astro escapes text on output, and translated strings are only ever
  // output as text; escaping here as well would double-escape.
  interpolation: { escapeValue: false },
  returnNull: false,
  returnEmptyString: false,
  initAsync: false,
  // Make a missing key loud at build time rather than showing the key.
  saveMissing: false,
  missingKeyHandler: false,
  parseMissingKeyHandler: (key: string) => {
    throw new Error(`Missing translation: ${key}`);
  },
});

export type T = (key: Key, vars?: Vars) => string;

/** A translator fixed to one language. */
export function useT(lang: Lang): T {
  const fixed = instance.getFixedT(lang);
  return (key, vars) => fixed(key, vars as TOptions) as string;
}

/** The finished strings an island needs, looked up at build time. */
export function pick<K extends Key>(lang: Lang, keys: readonly K[]): Record<K, string> {
  const t = useT(lang);
  return Object.fromEntries(keys.map((k) => [k, t(k)])) as Record<K, string>;
}

/**
 * The raw plural forms of a key (e.g. { one: "1 new result", other: "{{count}} new results" })
 * so an island can choose with `Intl.PluralRules` at run time.
 */
export function pluralForms(
  lang: Lang,
  key: Key,
  options: { upTo?: number } = {},
): Partial<Record<PluralSuffix, string>> {
  const [ns, bare] = key.includes(':') ? (key.split(':', 2) as [Namespace, string]) : (['common', key] as const);
  const table = resources[lang][ns] as Record<string, string>;
  // With `upTo`, only the forms a count from 0 to upTo can take travel in the page (Spanish "many"
  // is for millions: never a count of minutes or of messages waiting).
  const rules = new Intl.PluralRules(lang);
  const used =
    options.upTo === undefined
      ? undefined
      : new Set(Array.from({ length: options.upTo + 1 }, (_, n) => rules.select(n)));
  const out: Partial<Record<PluralSuffix, string>> = {};
  for (const form of ['zero', 'one', 'two', 'few', 'many', 'other'] as const) {
    const value = table[`${bare}_${form}`];
    if (value !== undefined && (!used || used.has(form) || form === 'other')) out[form] = value;
  }
  if (!out.other) throw new Error(`Missing plural forms for ${key}`);
  return out;
}

export function locale(lang: Lang): string {
  return LOCALES[lang];
}
