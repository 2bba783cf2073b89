/**
 * The storage names are in one module (src/lib/storage-keys.ts), but two
 * small scripts are written by hand into every page's HTML and spell theirs
 * out, as does the page's early-request script: each name they use must be
 * one the module names, or a page would read what nobody writes.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import * as keys from '../../src/lib/storage-keys.ts';
import { earlyRequests, earlyScript } from '../../src/lib/fhir/early.ts';

const names: string[] = Object.values(keys as Record<string, unknown>).filter(
  (v): v is string => typeof v === 'string',
);
const known = new Set<string>([
  ...names,
  ...['textSize', 'theme', 'readingSpeed', 'lang'].map(keys.prefKey),
  // Names built from a prefix: the script writes the prefix and adds the rest.
  keys.freshKey('', '').replace(/\.+$/, ''),
]);
const used = (text: string) => [...new Set(text.match(/clara\.[A-Za-z.]+[A-Za-z]/g) ?? [])];

test.each([
  [
    'components/PrePaint.astro',
    readFileSync(new URL('../../src/components/PrePaint.astro', import.meta.url), 'utf8')
      .split('---')
      .at(-1) ?? '',
  ],
  [
    'pages/index.astro (the language chooser)',
    readFileSync(new URL('../../src/pages/index.astro', import.meta.url), 'utf8')
      .split('---')
      .at(-1) ?? '',
  ],
  ['the early-request script (fhir/early.ts)', earlyScript(earlyRequests('results', '/en/labs/glossary.json'))],
])('%s uses only names storage-keys.ts gives', (_, text) => {
  const names = used(text);
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) expect(known, name).toContain(name);
});

test('every name is Clara’s own and they do not collide', () => {
  const values = [...known];
  for (const value of values) expect(value.startsWith('clara.')).toBe(true);
  expect(new Set(values).size).toBe(values.length);
  expect(new Set(Object.values(keys).filter((v) => typeof v === 'string')).size).toBe(
    Object.values(keys).filter((v) => typeof v === 'string').length,
  );
  expect(keys.freshKey('p-1', 'results')).toBe('clara.fresh.p-1.results');
  expect(keys.PER_SIGN_IN).toEqual([keys.CARE_TEAM, keys.PATIENT_CONTEXT, keys.UNREAD, keys.HELPERS]);
});
