/**
 * The plain-language glossary (locales/{en,es}/labs.json): it covers every
 * test in the sample data and the common ones, in both languages, and reads
 * easily: English at or below grade 6 (Flesch–Kincaid) and Spanish "easy"
 * (Szigriszt–Pazos / INFLESZ ≥ 65), measured over the whole glossary.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Bundle } from '@medplum/fhirtypes';
import { canonicalCode, loincOf } from '../../src/lib/fhir/loinc.ts';
import { glossaryCodes, glossaryEntry } from '../../src/lib/glossary.ts';
import { fleschKincaidGrade, stats, sumStats, szigrisztPazos } from './support/readability.ts';

const DATA = new URL('../../sandbox/data/', import.meta.url);

function sampleCodes(): Set<string> {
  const codes = new Set<string>();
  for (const file of readdirSync(DATA).filter((f) => f.endsWith('.json'))) {
    const bundle = JSON.parse(readFileSync(new URL(file, DATA), 'utf8')) as Bundle;
    for (const entry of bundle.entry ?? []) {
      const r = entry.resource as { resourceType?: string; code?: { coding?: { system?: string; code?: string }[] }; component?: { code?: { coding?: { system?: string; code?: string }[] } }[] } | undefined;
      if (r?.resourceType !== 'Observation' && r?.resourceType !== 'DiagnosticReport') continue;
      for (const concept of [r.code, ...(r.component ?? []).map((c) => c.code)]) {
        const loinc = loincOf(concept);
        if (loinc) codes.add(canonicalCode(loinc));
      }
    }
  }
  return codes;
}

/** The common tests design.md and the issue name, by canonical code. */
const COMMON = {
  'complete blood count': ['718-7', '4544-3', '789-8', '6690-2', '777-3', '787-2'],
  'basic metabolic panel': ['2345-7', '2951-2', '2823-3', '2075-0', '2028-9', '3094-0', '2160-0', '17861-6'],
  'comprehensive metabolic panel': ['2885-2', '1751-7', '1975-2', '6768-6', '1742-6', '1920-8'],
  lipids: ['2093-3', '18262-6', '2085-9', '2571-8'],
  A1c: ['4548-4'],
  thyroid: ['3016-3', '3024-7'],
  kidney: ['33914-3', '9318-7'],
  iron: ['2498-4', '2276-4'],
  B12: ['2132-9'],
  'vitamin D': ['1989-3'],
  PSA: ['2857-1'],
  INR: ['6301-6'],
  urinalysis: ['2756-5', '2965-2', '2349-9', '2887-8', '33051-4', '33052-2'],
  'vital signs': ['85354-9', '8480-6', '8462-4', '8867-4', '9279-1', '59408-5', '8310-5', '29463-7', '8302-2', '39156-5'],
};

const EXPLAINING = ['what', 'high', 'low', 'abnormal'] as const;

describe('glossary', () => {
  test('at least 60 tests, each named and explained in both languages', () => {
    const codes = glossaryCodes();
    expect(codes.length).toBeGreaterThanOrEqual(60);
    for (const code of codes) {
      for (const lang of ['en', 'es'] as const) {
        const entry = glossaryEntry(lang, code);
        expect(entry?.name, `${lang} ${code}.name`).toBeTruthy();
        expect(entry?.what, `${lang} ${code}.what`).toBeTruthy();
      }
      const fields = (lang: 'en' | 'es') => Object.keys(glossaryEntry(lang, code) ?? {}).sort();
      expect(fields('es'), code).toEqual(fields('en'));
    }
  });

  test('every code in the project\'s sample data has an entry in both languages', () => {
    const missing = [...sampleCodes()].filter((code) => !glossaryEntry('en', code) || !glossaryEntry('es', code));
    expect(missing).toEqual([]);
  });

  for (const [group, codes] of Object.entries(COMMON)) {
    test(`common tests: ${group}`, () => {
      expect(codes.filter((code) => !glossaryEntry('en', code) || !glossaryEntry('es', code))).toEqual([]);
    });
  }

  const texts = (lang: 'en' | 'es') =>
    glossaryCodes().flatMap((code) => {
      const entry = glossaryEntry(lang, code);
      return EXPLAINING.map((f) => entry?.[f]).filter((t): t is string => !!t).map((text) => ({ code, text }));
    });

  test('English reads at or below grade 6 (Flesch–Kincaid), over the whole glossary', () => {
    const grade = fleschKincaidGrade(sumStats(texts('en').map((t) => stats(t.text, 'en'))));
    expect(grade).toBeLessThanOrEqual(6);
  });

  test('Spanish is easy (Szigriszt–Pazos ≥ 65, INFLESZ "bastante fácil"), over the whole glossary', () => {
    const score = szigrisztPazos(sumStats(texts('es').map((t) => stats(t.text, 'es'))));
    expect(score).toBeGreaterThanOrEqual(65);
  });

  test('no single explanation is hard to read', () => {
    const hardEn = texts('en').filter((t) => fleschKincaidGrade(stats(t.text, 'en')) > 9).map((t) => t.code);
    const hardEs = texts('es').filter((t) => szigrisztPazos(stats(t.text, 'es')) < 50).map((t) => t.code);
    expect({ hardEn, hardEs }).toEqual({ hardEn: [], hardEs: [] });
  });

  test('explanations are calm and never diagnose', () => {
    for (const { code, text } of texts('en')) {
      expect(text, code).not.toMatch(/\bmeans you have\b|\byou have (cancer|diabetes)\b|\bemergency\b/i);
    }
  });
});
