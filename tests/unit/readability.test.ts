/**
 * Plain language, measured: the readability counters on words and texts with
 * known answers, then every namespace a patient reads (see
 * support/plain-language.ts), each on its own: English at or below grade 6
 * (Flesch–Kincaid) and Spanish "easy" (Szigriszt–Pazos, INFLESZ ≥ 65). The
 * scores are printed and written to reports/readability.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { Lang } from '../../src/lib/i18n/langs.ts';
import { ALLOW, NOT_MEASURED, fillSample, loadNamespace, measuredNamespaces } from './support/plain-language.ts';
import {
  allowlist,
  fleschKincaidGrade,
  stats,
  sumStats,
  syllablesEn,
  syllablesEs,
  szigrisztPazos,
  type TextStats,
} from './support/readability.ts';

describe('syllables', () => {
  test('English', () => {
    const cases: [string, number][] = [
      ['the', 1],
      ['blood', 1],
      ['sugar', 2],
      ['kidney', 2],
      ['measures', 2],
      ['cholesterol', 4],
      ['hemoglobin', 4],
      ['make', 1],
      ['liver', 2],
      ['every', 3],
      ['people', 2],
      ['message', 2],
      ['results', 2],
      ['weekdays', 2],
      ['clinic', 2],
      ['potassium', 4],
      ['medicine', 3],
      ['table', 2],
      ['oxygen', 3],
      ['sodium', 3],
      ['anemia', 4],
      ['usual', 3],
      ['language', 2],
      ['quality', 3],
    ];
    for (const [word, n] of cases) expect(syllablesEn(word), word).toBe(n);
  });
  test('Spanish: diphthongs, hiatus, silent u', () => {
    const cases: [string, number][] = [
      ['computadora', 5],
      ['día', 2],
      ['ciudad', 2],
      ['leer', 2],
      ['que', 1],
      ['guitarra', 3],
      ['hoy', 1],
      ['oído', 3],
      ['aire', 2],
      ['riñón', 2],
      ['glucosa', 3],
      ['sangre', 2],
      ['muy', 1],
      ['análisis', 4],
      ['llámenme', 3],
      ['teléfono', 4],
      ['aparato', 4],
      ['riñones', 3],
      ['potasio', 3],
      ['equipo', 3],
      ['biometría', 4],
      ['química', 3],
    ];
    for (const [word, n] of cases) expect(syllablesEs(word), word).toBe(n);
  });
  test('a number counts about one syllable per two digits', () => {
    expect(syllablesEn('911')).toBe(2);
    expect(syllablesEs('2')).toBe(1);
  });
});

describe('scores', () => {
  test('a plain English text is low grade; a dense one is high', () => {
    expect(
      fleschKincaidGrade(stats('This test checks your blood sugar. A high number can mean diabetes.', 'en')),
    ).toBeLessThan(7);
    expect(
      fleschKincaidGrade(
        stats(
          'Glycated hemoglobin quantification characterizes longitudinal glycemic regulation in individuals with diabetes mellitus.',
          'en',
        ),
      ),
    ).toBeGreaterThan(15);
  });
  test('a plain Spanish text is easy on the INFLESZ scale; a dense one is not', () => {
    expect(
      szigrisztPazos(stats('Mide el azúcar en la sangre. Si sale alto, puede ser diabetes.', 'es')),
    ).toBeGreaterThan(65);
    expect(
      szigrisztPazos(
        stats(
          'La cuantificación de la hemoglobina glicosilada caracteriza la regulación glucémica longitudinal.',
          'es',
        ),
      ),
    ).toBeLessThan(40);
  });
  test('sentences end at . ! ? …, not at a colon', () => {
    expect(stats('Very high: call us. Now!', 'en').sentences).toBe(2);
    expect(stats('¿Prefiere hablar? Llame a la clínica.', 'es').sentences).toBe(2);
  });
  test('an allowlisted term leaves the syllable count but still counts as a word of its sentence', () => {
    const plain = stats('Your hemoglobin is low.', 'en');
    const allowed = stats('Your hemoglobin is low.', 'en', allowlist(['hemoglobin']));
    expect(allowed.words).toBe(plain.words);
    expect(allowed.syllableWords).toBe(plain.syllableWords - 1);
    expect(allowed.syllables).toBe(plain.syllables - syllablesEn('hemoglobin'));
    // A phrase matches only its words in a row.
    const phrase = allowlist(['hemoglobin A1c']);
    expect(stats('hemoglobin A1c', 'en', phrase).syllableWords).toBe(0);
    expect(stats('hemoglobin is A1c', 'en', phrase).syllableWords).toBe(3);
  });
});

const GRADE_MAX = 6;
const SZIGRISZT_MIN = 65;
const LANGS = ['en', 'es'] as const;

/** A sentence ends in . ! ? or … (a closing quote or bracket may follow); a label or heading does not. */
const SENTENCE = /[.!?…]["'”’)]*$/u;

/**
 * A namespace's texts, placeholders filled, as stats with the allowlist
 * applied: all of it (labels and headings are read too, each as one short
 * sentence), or only its sentences (so short labels cannot hide long prose).
 */
function measure(lang: Lang, ns: string, only: 'all' | 'sentences'): TextStats {
  const table = loadNamespace(lang, ns);
  const allow = allowlist(Object.keys(ALLOW[lang]));
  const texts = Object.entries(table).map(([key, text]) => fillSample(lang, ns, key, text));
  return sumStats(texts.filter((t) => only === 'all' || SENTENCE.test(t.trim())).map((t) => stats(t, lang, allow)));
}

describe('every namespace a patient reads', () => {
  type Row = {
    ns: string;
    en: number;
    es: number;
    enSentences: number;
    esSentences: number;
    words: Record<Lang, number>;
  };
  const results: Row[] = [];
  const namespaces = measuredNamespaces();

  test('excluded namespaces exist and say why', () => {
    for (const [ns, reason] of Object.entries(NOT_MEASURED)) {
      expect(() => loadNamespace('en', ns), ns).not.toThrow();
      expect(reason.length, ns).toBeGreaterThan(40);
    }
  });

  for (const ns of namespaces) {
    test(`${ns}: English at or below grade ${GRADE_MAX}, Spanish at or above ${SZIGRISZT_MIN}`, () => {
      const en = measure('en', ns, 'all');
      const es = measure('es', ns, 'all');
      const row: Row = {
        ns,
        en: fleschKincaidGrade(en),
        es: szigrisztPazos(es),
        enSentences: fleschKincaidGrade(measure('en', ns, 'sentences')),
        esSentences: szigrisztPazos(measure('es', ns, 'sentences')),
        words: { en: en.words, es: es.words },
      };
      results.push(row);
      expect.soft(row.en, `${ns} (en) Flesch–Kincaid grade`).toBeLessThanOrEqual(GRADE_MAX);
      expect.soft(row.es, `${ns} (es) Szigriszt–Pazos`).toBeGreaterThanOrEqual(SZIGRISZT_MIN);
      expect.soft(row.enSentences, `${ns} (en) Flesch–Kincaid grade of its sentences`).toBeLessThanOrEqual(GRADE_MAX);
      expect.soft(row.esSentences, `${ns} (es) Szigriszt–Pazos of its sentences`).toBeGreaterThanOrEqual(SZIGRISZT_MIN);
    });
  }

  test('every allowlisted term has a reason and is still used in a measured text', () => {
    for (const lang of LANGS) {
      const all = namespaces
        .map((ns) =>
          Object.entries(loadNamespace(lang, ns))
            .map(([key, text]) => fillSample(lang, ns, key, text))
            .join('\n'),
        )
        .join('\n')
        .toLowerCase();
      for (const [term, reason] of Object.entries(ALLOW[lang])) {
        expect(reason.length, `${lang} "${term}" needs a reason`).toBeGreaterThan(10);
        expect(all.includes(term.toLowerCase()), `${lang} "${term}" is no longer used: take it off the allowlist`).toBe(
          true,
        );
      }
    }
  });

  afterAll(() => {
    if (!results.length) return;
    const lines = [
      '# Readability per namespace',
      '',
      `English: Flesch–Kincaid grade (at most ${GRADE_MAX}). Spanish: Szigriszt–Pazos / INFLESZ (at least ${SZIGRISZT_MIN}).`,
      `Not measured: ${Object.keys(NOT_MEASURED).join(', ')} (see tests/unit/support/plain-language.ts).`,
      '',
      'All text counts labels and headings as short sentences; "sentences" counts only texts that end in . ! ? or …',
      '',
      '| namespace | EN grade, all | EN grade, sentences | ES Szigriszt, all | ES Szigriszt, sentences | EN words | ES words |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...results
        .sort((a, b) => a.ns.localeCompare(b.ns))
        .map(
          (r) =>
            `| ${r.ns} | ${r.en.toFixed(1)} | ${r.enSentences.toFixed(1)} | ${r.es.toFixed(1)} | ${r.esSentences.toFixed(1)} | ${r.words.en} | ${r.words.es} |`,
        ),
      '',
    ];
    const dir = join(import.meta.dirname, '../../reports');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'readability.md'), lines.join('\n'));
    console.log(lines.join('\n'));
  });
});
