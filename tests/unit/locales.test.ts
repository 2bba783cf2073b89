/**
 * Locale parity: English and Spanish have the same files and keys, no empty
 * value, the same placeholders, every plural form their language needs, and
 * no Spanish text left identical to the English (unless allowed with a
 * reason in locales/identical.json).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { LANGS, LOCALES } from '../../src/lib/i18n/langs.ts';

type Table = Record<string, string>;
const DIR = join(import.meta.dirname, '../../locales');
const PLURAL = /_(zero|one|two|few|many|other)$/;

function load(lang: string): Record<string, Table> {
  const out: Record<string, Table> = {};
  for (const file of readdirSync(join(DIR, lang)).filter((f) => f.endsWith('.json'))) {
    out[file.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(DIR, lang, file), 'utf8')) as Table;
  }
  return out;
}

const tables = Object.fromEntries(LANGS.map((lang) => [lang, load(lang)])) as Record<string, Record<string, Table>>;
const en = tables['en'] as Record<string, Table>;
const identical = (JSON.parse(readFileSync(join(DIR, 'identical.json'), 'utf8')) as { keys: Record<string, string> })
  .keys;
const notes = JSON.parse(readFileSync(join(DIR, 'notes.json'), 'utf8')) as Record<string, string>;

const baseKeys = (table: Table) => [...new Set(Object.keys(table).map((k) => k.replace(PLURAL, '')))].sort();
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('locale files', () => {
  test('every language has the same namespaces', () => {
    for (const lang of LANGS) expect(Object.keys(tables[lang] ?? {}).sort(), lang).toEqual(Object.keys(en).sort());
  });

  for (const ns of Object.keys(en)) {
    describe(ns, () => {
      for (const lang of LANGS) {
        const table = tables[lang]?.[ns] ?? {};

        test(`${lang}: same keys as English (no missing, no extra)`, () => {
          expect(baseKeys(table)).toEqual(baseKeys(en[ns] ?? {}));
        });

        test(`${lang}: no empty values, only text`, () => {
          for (const [key, value] of Object.entries(table)) {
            expect(typeof value, `${ns}:${key}`).toBe('string');
            expect(value.trim(), `${ns}:${key}`).not.toBe('');
          }
        });

        test(`${lang}: every plural key has exactly the forms ${lang} needs`, () => {
          const categories = new Intl.PluralRules(LOCALES[lang]).resolvedOptions().pluralCategories;
          const plurals = Object.keys(en[ns] ?? {})
            .filter((k) => PLURAL.test(k))
            .map((k) => k.replace(PLURAL, ''));
          for (const base of new Set(plurals)) {
            const forms = Object.keys(table)
              .filter((k) => k.replace(PLURAL, '') === base && PLURAL.test(k))
              .map((k) => k.replace(`${base}_`, ''));
            expect(forms.sort(), `${ns}:${base}`).toEqual([...categories].sort());
          }
        });

        test(`${lang}: the same placeholders as English`, () => {
          for (const [key, value] of Object.entries(table)) {
            const english = en[ns]?.[key] ?? en[ns]?.[`${key.replace(PLURAL, '')}_other`] ?? '';
            expect(placeholders(value), `${ns}:${key}`).toEqual(placeholders(english));
          }
        });
      }

      test('Spanish is not a copy of the English', () => {
        const es = tables['es']?.[ns] ?? {};
        const same = Object.keys(en[ns] ?? {}).filter((k) => es[k] === en[ns]?.[k] && !identical[`${ns}:${k}`]);
        expect(
          same,
          'Spanish values identical to English (translate, or allow in locales/identical.json with a reason)',
        ).toEqual([]);
      });
    });
  }

  test('allowed identical values are still identical and have a reason', () => {
    for (const [id, reason] of Object.entries(identical)) {
      const [ns = '', key = ''] = id.split(':');
      expect(reason.length, `${id} needs a reason`).toBeGreaterThan(10);
      expect(tables['es']?.[ns]?.[key], id).toBe(en[ns]?.[key]);
    }
  });

  test('translator notes are for keys that exist', () => {
    for (const id of Object.keys(notes).filter((k) => !k.startsWith('$'))) {
      const [ns = '', key = ''] = id.split(':');
      expect(baseKeys(en[ns] ?? {}), id).toContain(key);
    }
  });
});
