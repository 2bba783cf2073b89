/** Words only the result detail page needs: the usual range, a name inside a sentence, a month. */
import { fill } from '../i18n/format.ts';
import { LOCALES, type Lang } from '../i18n/langs.ts';
import type { UsualRange } from './model.ts';
import { amountText, type ResultWords } from './words.ts';

export function rangeText(lang: Lang, range: UsualRange, words: ResultWords): string {
  switch (range.kind) {
    case 'between':
      return fill(words['value.between'], {
        low: amountText(lang, range.low, words, false),
        high: amountText(lang, range.high, words),
      });
    case 'at-least':
      return fill(words['value.atLeast'], { value: amountText(lang, range.low, words) });
    case 'at-most':
      return fill(words['value.atMost'], { value: amountText(lang, range.high, words) });
    case 'text':
      return range.text;
  }
}

/** A name that can sit inside a sentence: "Blood sugar (glucose)" → "blood sugar (glucose)", "PSA" stays. */
export function nameInSentence(name: string, lang: Lang): string {
  const [first = ''] = name.split(/\s+/);
  // "PSA", "A1c", "eGFR": capitals or digits after the first letter mean an abbreviation, kept as written.
  const acronym = /[\p{Lu}\d]/u.test(first.slice(1));
  return acronym ? name : name.charAt(0).toLocaleLowerCase(LOCALES[lang]) + name.slice(1);
}

/** "March 2026" / "marzo de 2026" */
export function monthYear(lang: Lang, date: string, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { month: 'long', year: 'numeric', timeZone }).format(new Date(date));
}
