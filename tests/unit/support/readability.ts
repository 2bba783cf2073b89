/**
 * Readability of plain-language text: Flesch–Kincaid grade level for
 * English, and Szigriszt–Pazos perspicuity (read on the INFLESZ scale) for
 * Spanish. Syllables are counted by rule, which is close enough to check a
 * namespace's level as a whole.
 *
 * A few words cannot be simpler (a test's own name, the clinic's name, a
 * unit): an allowlist (see plain-language.ts) takes them out of the
 * syllables-per-word part of the score only. They still count as words in
 * the sentence, so a long sentence full of them still scores as long, and
 * they neither help nor hurt the average syllables of the other words.
 */

export interface TextStats {
  sentences: number;
  /** Every word, for the length of sentences. */
  words: number;
  /** Syllables of the words not on the allowlist. */
  syllables: number;
  /** How many words the syllables were counted over (words less allowlisted ones). */
  syllableWords: number;
}

/** Words or phrases (lower case, split into words) kept out of the syllable count. */
export type Allowlist = readonly (readonly string[])[];

/** An allowlist from its terms: "hemoglobin A1c" matches those two words in a row, in any case. */
export function allowlist(terms: Iterable<string>): Allowlist {
  return [...terms]
    .map((term) => (term.match(WORD) ?? []).map((w) => w.toLowerCase()))
    .filter((words) => words.length > 0);
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/** Sentences end at . ! ? … or a line break (a colon or semicolon does not end one, as in Flesch's own counting). */
function sentences(text: string): number {
  const parts = text.split(/[.!?…]+(?=\s|$)|\n+/).filter((s) => /[\p{L}\p{N}]/u.test(s));
  return Math.max(1, parts.length);
}

/**
 * English syllables: vowel groups, less a silent final e, at least one; plus
 * the vowel pairs that are two syllables in health words (sod-i-um,
 * a-ne-mi-a, us-u-al), which vowel groups alone count as one.
 */
export function syllablesEn(word: string): number {
  let w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (!w) return /\d/.test(word) ? Math.max(1, Math.ceil(word.length / 2)) : 0;
  if (w.length <= 3) return 1;
  w = w.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/, (m) => m.slice(0, 1)).replace(/^y/, '');
  const groups = w.match(/[aeiouy]{1,2}/g);
  const split = (w.match(/ium$|[^aeiou]ia$|[^qgaeiou]ua/g) ?? []).length;
  return Math.max(1, (groups?.length ?? 1) + split);
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

/** Which of these words belong to an allowlisted term (longest match first, so a phrase wins over one of its words). */
export function allowlisted(words: readonly string[], allow: Allowlist): boolean[] {
  const lower = words.map((w) => w.toLowerCase());
  const marked = words.map(() => false);
  const terms = [...allow].sort((a, b) => b.length - a.length);
  for (let i = 0; i < lower.length; i++) {
    if (marked[i]) continue;
    const term = terms.find((t) => t.every((w, j) => lower[i + j] === w));
    if (term) for (let j = 0; j < term.length; j++) marked[i + j] = true;
  }
  return marked;
}

export function stats(text: string, lang: 'en' | 'es', allow: Allowlist = []): TextStats {
  const words = text.match(WORD) ?? [];
  const count = lang === 'en' ? syllablesEn : syllablesEs;
  const skip = allowlisted(words, allow);
  const counted = words.filter((_, i) => !skip[i]);
  return {
    sentences: sentences(text),
    words: words.length,
    syllables: counted.reduce((sum, w) => sum + count(w), 0),
    syllableWords: counted.length,
  };
}

/** Flesch–Kincaid grade level (lower is easier; 6 is sixth grade). */
export function fleschKincaidGrade(s: TextStats): number {
  return 0.39 * (s.words / s.sentences) + 11.8 * (s.syllables / Math.max(1, s.syllableWords)) - 15.59;
}

/** Szigriszt–Pazos perspicuity (INFLESZ: 65–80 "bastante fácil", above 80 "muy fácil"). */
export function szigrisztPazos(s: TextStats): number {
  return 206.835 - 62.3 * (s.syllables / Math.max(1, s.syllableWords)) - s.words / s.sentences;
}

export function sumStats(all: TextStats[]): TextStats {
  return all.reduce(
    (a, b) => ({
      sentences: a.sentences + b.sentences,
      words: a.words + b.words,
      syllables: a.syllables + b.syllables,
      syllableWords: a.syllableWords + b.syllableWords,
    }),
    { sentences: 0, words: 0, syllables: 0, syllableWords: 0 },
  );
}
