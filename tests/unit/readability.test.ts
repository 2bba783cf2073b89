/** The readability measures themselves, on words and texts with known answers. */
import { describe, expect, test } from 'vitest';
import { fleschKincaidGrade, stats, syllablesEn, syllablesEs, szigrisztPazos } from './support/readability.ts';

describe('syllables', () => {
  test('English', () => {
    const cases: [string, number][] = [['the', 1], ['blood', 1], ['sugar', 2], ['kidney', 2], ['measures', 2], ['cholesterol', 4], ['hemoglobin', 4], ['make', 1], ['liver', 2], ['every', 3]];
    for (const [word, n] of cases) expect(syllablesEn(word), word).toBe(n);
  });
  test('Spanish: diphthongs, hiatus, silent u', () => {
    const cases: [string, number][] = [
      ['computadora', 5], ['día', 2], ['ciudad', 2], ['leer', 2], ['que', 1], ['guitarra', 3],
      ['hoy', 1], ['oído', 3], ['aire', 2], ['riñón', 2], ['glucosa', 3], ['sangre', 2], ['muy', 1], ['análisis', 4],
    ];
    for (const [word, n] of cases) expect(syllablesEs(word), word).toBe(n);
  });
});

describe('scores', () => {
  test('a plain English text is low grade; a dense one is high', () => {
    expect(fleschKincaidGrade(stats('This test checks your blood sugar. A high number can mean diabetes.', 'en'))).toBeLessThan(7);
    expect(fleschKincaidGrade(stats('Glycated hemoglobin quantification characterizes longitudinal glycemic regulation in individuals with diabetes mellitus.', 'en'))).toBeGreaterThan(15);
  });
  test('a plain Spanish text is easy on the INFLESZ scale; a dense one is not', () => {
    expect(szigrisztPazos(stats('Mide el azúcar en la sangre. Si sale alto, puede ser diabetes.', 'es'))).toBeGreaterThan(65);
    expect(szigrisztPazos(stats('La cuantificación de la hemoglobina glicosilada caracteriza la regulación glucémica longitudinal.', 'es'))).toBeLessThan(40);
  });
});
