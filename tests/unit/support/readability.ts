/**
 * Readability of plain-language text: Flesch–Kincaid grade level for
 * English, and Szigriszt–Pazos perspicuity (read on the INFLESZ scale) for
 * Spanish. Syllables are counted by rule, which is close enough to check a
 * glossary's level as a whole.
 */

export interface TextStats {
  sentences: number;
  words: number;
  syllables: number;
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

function sentences(text: string): number {
  const parts = text.split(/[.!?¿¡…;:]+(?=\s|$)|\n+/).filter((s) => /[\p{L}\p{N}]/u.test(s));
  return Math.max(1, parts.length);
}

/** English syllables: vowel groups, less a silent final e, at least one. */
export function syllablesEn(word: string): number {
  let w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (!w) return /\d/.test(word) ? Math.max(1, Math.ceil(word.length / 2)) : 0;
  if (w.length <= 3) return 1;
  w = w.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/, (m) => m.slice(0, 1)).replace(/^y/, '');
  const groups = w.match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups?.length ?? 1);
}

const STRONG = new Set(['a', 'e', 'o', 'á', 'é', 'ó', 'í', 'ú']);
const WEAK = new Set(['i', 'u', 'ü']);

/** Spanish syllables: one per vowel nucleus; diphthongs join, hiatus (two strong, or an accented í/ú) splits. */
export function syllablesEs(word: string): number {
  let w = word.toLowerCase().replace(/[^a-záéíóúüñ]/g, '');
  if (!w) return /\d/.test(word) ? Math.max(1, Math.ceil(word.length / 2)) : 0;
  // The u of que, qui, gue, gui is silent.
  w = w.replace(/([qg])u([eéií])/g, '$1$2');
  // A final y after a vowel (hoy, muy) belongs to that syllable.
  w = w.replace(/([aeiouáéíóú])y$/, '$1');
  let count = 0;
  let previous = '';
  for (const ch of w) {
    const vowel = STRONG.has(ch) || WEAK.has(ch);
    if (!vowel) {
      previous = '';
      continue;
    }
    if (!previous) count++;
    else if (STRONG.has(previous) && STRONG.has(ch)) count++;
    previous = ch;
  }
  return Math.max(1, count);
}

export function stats(text: string, lang: 'en' | 'es'): TextStats {
  const words = text.match(WORD) ?? [];
  const count = lang === 'en' ? syllablesEn : syllablesEs;
  return { sentences: sentences(text), words: words.length, syllables: words.reduce((sum, w) => sum + count(w), 0) };
}

/** Flesch–Kincaid grade level (lower is easier; 6 is sixth grade). */
export function fleschKincaidGrade(s: TextStats): number {
  return 0.39 * (s.words / s.sentences) + 11.8 * (s.syllables / s.words) - 15.59;
}

/** Szigriszt–Pazos perspicuity (INFLESZ: 65–80 "bastante fácil", above 80 "muy fácil"). */
export function szigrisztPazos(s: TextStats): number {
  return 206.835 - 62.3 * (s.syllables / s.words) - s.words / s.sentences;
}

export function sumStats(all: TextStats[]): TextStats {
  return all.reduce((a, b) => ({ sentences: a.sentences + b.sentences, words: a.words + b.words, syllables: a.syllables + b.syllables }), { sentences: 0, words: 0, syllables: 0 });
}
