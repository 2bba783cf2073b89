/**
 * The plain-language glossary (locales/{en,es}/labs.json): it covers every
 * test in the sample data and the common ones, in both languages, and reads
 * easily: English at or below grade 6 (Flesch–Kincaid) and Spanish "easy"
 * (Szigriszt–Pazos / INFLESZ ≥ 65), measured over the whole glossary.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Bundle } from '@medplum/fhirtypes';
import { canonicalCode, loincOf } from '../../src/lib/results/loinc.ts';
import { glossaryCodes, glossaryEntry } from '../../src/lib/glossary.ts';
import { fleschKincaidGrade, stats, sumStats, szigrisztPazos } from './support/readability.ts';

const DATA = new URL('../../sandbox/data/', import.meta.url);

function sampleCodes(): Set<string> {
  const codes = new Set<string>();
  for (const file of readdirSync(DATA).filter((f) => f.endsWith('.json'))) {
    const bundle = JSON.parse(readFileSync(new URL(file, DATA), 'utf8')) as Bundle;
    for (const entry of bundle.entry ?? []) {
      const r = entry.resource as
        | {
            resourceType?: string;
            code?: { coding?: { system?: string; code?: string }[] };
            component?: { code?: { coding?: { system?: string; code?: string }[] } }[];
          }
        | undefined;
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
  'vital signs': [
    '85354-9',
    '8480-6',
    '8462-4',
    '8867-4',
    '9279-1',
    '59408-5',
    '8310-5',
    '29463-7',
    '8302-2',
    '39156-5',
  ],
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

  test("every code in the project's sample data has an entry in both languages", () => {
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
      return EXPLAINING.map((f) => entry?.[f])
        .filter((t): t is string => !!t)
        .map((text) => ({ code, text }));
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
    const hardEn = texts('en')
      .filter((t) => fleschKincaidGrade(stats(t.text, 'en')) > 9)
      .map((t) => t.code);
    const hardEs = texts('es')
      .filter((t) => szigrisztPazos(stats(t.text, 'es')) < 50)
      .map((t) => t.code);
    expect({ hardEn, hardEs }).toEqual({ hardEn: [], hardEs: [] });
  });

  test('explanations are calm and never diagnose', () => {
    for (const { code, text } of texts('en')) {
      // "If you have diabetes, …" is advice for a reader who knows; "you have diabetes" would be a diagnosis.
      expect(text, code).not.toMatch(/\bmeans you have\b|(?<!\bif )\byou have (cancer|diabetes)\b|\bemergency\b/i);
    }
  });
});

/**
 * What a frightened reader does after reading an entry: these sentences tell
 * them when to call, and no caveat softens a "Very high — call us". Checked
 * by meaning, in both languages, so a rewrite keeps the advice.
 */
describe('glossary safety', () => {
  const text = (lang: 'en' | 'es', code: string, field: 'what' | 'high' | 'low' | 'abnormal') =>
    glossaryEntry(lang, code)?.[field] ?? '';

  test('low oxygen: call the clinic now, 911 when it is severe', () => {
    const en = text('en', '59408-5', 'low');
    expect(en).toMatch(/call the clinic now/i);
    expect(en).toMatch(/call 911 if .*trouble breathing.*blue lips.*confusion/i);
    const es = text('es', '59408-5', 'low');
    expect(es).toMatch(/llame a la clínica ahora/i);
    expect(es).toMatch(/llame al 911 si .*respirar.*labios.*confusión/i);
    // The reading caveat lives where it cannot read as "ignore a low number".
    expect(en).not.toMatch(/cold fingers|nail polish/i);
    expect(es).not.toMatch(/dedos fríos|esmalte/i);
  });

  test('ketones: with diabetes and vomiting or very sick, call today', () => {
    for (const [code, field] of [
      ['2514-8', 'abnormal'],
      ['5797-6', 'high'],
    ] as const) {
      expect(text('en', code, field), code).toMatch(
        /if you have diabetes and are vomiting or feel very sick, call the clinic today/i,
      );
      expect(text('es', code, field), code).toMatch(
        /si tiene diabetes y está vomitando o se siente muy mal, llame hoy a la clínica/i,
      );
    }
  });

  test('INR: never change the dose on your own, high or low', () => {
    for (const field of ['high', 'low'] as const) {
      expect(text('en', '6301-6', field), field).toMatch(/never change your dose on your own/i);
      expect(text('es', '6301-6', field), field).toMatch(/nunca cambie la dosis por su cuenta/i);
    }
  });

  test('blood in the urine: blood that stays needs more tests, even without symptoms', () => {
    for (const [code, field] of [
      ['33051-4', 'abnormal'],
      ['13945-1', 'high'],
      ['30391-7', 'high'],
    ] as const) {
      expect(text('en', code, field), code).toMatch(
        /if the blood is still there, you need more tests, even if you feel fine/i,
      );
      expect(text('es', code, field), code).toMatch(
        /si la sangre sigue ahí, hacen falta más estudios, aunque usted se sienta bien/i,
      );
    }
  });

  test('potassium: high says to call and nothing softens it; low names the heart rhythm', () => {
    const high = { en: text('en', '2823-3', 'high'), es: text('es', '2823-3', 'high') };
    expect(high.en).toMatch(/call the clinic today/i);
    expect(high.es).toMatch(/llame hoy a la clínica/i);
    for (const field of ['what', 'high', 'low'] as const) {
      expect(text('en', '2823-3', field), field).not.toMatch(/sat too long|sample|read high/i);
      expect(text('es', '2823-3', field), field).not.toMatch(/esperó|muestra|salir alta/i);
    }
    expect(text('en', '2823-3', 'low')).toMatch(/rhythm of your heart/i);
    expect(text('es', '2823-3', 'low')).toMatch(/ritmo del corazón/i);
  });

  test('A1c: a low number is not called good, and names the diabetes-medicine risk', () => {
    expect(text('en', '4548-4', 'low')).not.toMatch(/\bgood\b/i);
    expect(text('es', '4548-4', 'low')).not.toMatch(/\bbuen[oa]?\b/i);
    expect(text('en', '4548-4', 'low')).toMatch(/medicine for diabetes.*too low/i);
    expect(text('es', '4548-4', 'low')).toMatch(/medicina para la diabetes.*baja demasiado/i);
  });

  test('low blood sugar, low white cells, high blood pressure, fast breathing: what to do now', () => {
    expect(text('en', '2345-7', 'low')).toMatch(/eat something sweet/i);
    expect(text('es', '2345-7', 'low')).toMatch(/coma algo dulce/i);
    for (const code of ['751-8', '6690-2']) {
      expect(text('en', code, 'low'), code).toMatch(/fever, call the clinic right away/i);
      expect(text('es', code, 'low'), code).toMatch(/fiebre, llame enseguida a la clínica/i);
    }
    for (const [code, field] of [
      ['8480-6', 'high'],
      ['8462-4', 'high'],
      ['9279-1', 'high'],
      ['8867-4', 'high'],
    ] as const) {
      expect(text('en', code, field), code).toMatch(/call 911/i);
      expect(text('es', code, field), code).toMatch(/llame al 911/i);
    }
  });

  test('Spanish never drops the English "can" or "most often" into a certainty', () => {
    for (const code of glossaryCodes()) {
      for (const field of EXPLAINING) {
        const es = glossaryEntry('es', code)?.[field] ?? '';
        expect(es, `${code}.${field}`).not.toMatch(/casi siempre|casi nunca/i);
      }
    }
  });
});
