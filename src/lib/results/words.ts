/**
 * Results in words, in the patient's language: values with units, flags,
 * names (detail-words.ts has the detail page's own words). Pure; the strings
 * come from the page (words-at-build.ts, from locales/{en,es}/results.json),
 * so islands never load i18next.
 */
import { fill, formatNumber } from '../i18n/format.ts';
import type { Lang } from '../i18n/langs.ts';
import type { Amount, Flag, ResultValue, Unit, UnitWords } from './model.ts';

export type ResultWords = Record<
  | 'value.lessThan'
  | 'value.atMost'
  | 'value.moreThan'
  | 'value.atLeast'
  | 'value.between'
  | 'value.yes'
  | 'value.no'
  | 'value.none'
  | `unit.${UnitWords}`
  | `flag.${Flag}`
  | `absent.${'unknown' | 'not-performed' | 'error' | 'not-applicable' | 'masked' | 'other'}`,
  string
>;

export function unitText(unit: Unit, words: ResultWords): string {
  if ('symbol' in unit) return unit.symbol;
  if ('words' in unit) return words[`unit.${unit.words}`];
  return '';
}

/** "82 mg/dL", "less than 5 mg/dL", "7.2 %", "72 beats per minute". */
export function amountText(lang: Lang, amount: Amount, words: ResultWords, withUnit = true): string {
  const number = formatNumber(lang, amount.value, {
    minimumFractionDigits: amount.decimals,
    maximumFractionDigits: amount.decimals,
  });
  const unit = withUnit ? unitText(amount.unit, words) : '';
  const core = unit ? `${number} ${unit}` : number;
  switch (amount.comparator) {
    case '<':
      return fill(words['value.lessThan'], { value: core });
    case '<=':
      return fill(words['value.atMost'], { value: core });
    case '>':
      return fill(words['value.moreThan'], { value: core });
    case '>=':
      return fill(words['value.atLeast'], { value: core });
    default:
      return core;
  }
}

export function valueText(lang: Lang, value: ResultValue, words: ResultWords): string {
  switch (value.kind) {
    case 'amount':
      return amountText(lang, value.amount, words);
    case 'text':
      return value.text || words['value.none'];
    case 'yes-no':
      return value.yes ? words['value.yes'] : words['value.no'];
    case 'between': {
      if (value.low && value.high) {
        return fill(words['value.between'], {
          low: amountText(lang, value.low, words, false),
          high: amountText(lang, value.high, words),
        });
      }
      if (value.low) return fill(words['value.atLeast'], { value: amountText(lang, value.low, words) });
      if (value.high) return fill(words['value.atMost'], { value: amountText(lang, value.high, words) });
      return words['value.none'];
    }
    case 'pressure': {
      const s = value.systolic ? amountText(lang, value.systolic, words, false) : '?';
      const d = value.diastolic ? amountText(lang, value.diastolic, words, false) : '?';
      const unit = unitText((value.systolic ?? value.diastolic)?.unit ?? { none: true }, words);
      return `${s}/${d}${unit ? ` ${unit}` : ''}`;
    }
    case 'absent':
      return words[`absent.${value.reason}`];
    case 'none':
      return words['value.none'];
  }
}

export type FlagTone = 'critical' | 'attention' | 'fine' | 'neutral';

/** How a flag looks: critical asks for a call; a little outside is calm, never alarm colours. */
export function flagTone(flag: Flag | undefined): FlagTone {
  if (flag === 'critical-high' || flag === 'critical-low' || flag === 'critical') return 'critical';
  if (flag === 'high' || flag === 'low' || flag === 'abnormal' || flag === 'positive') return 'attention';
  if (flag === 'normal' || flag === 'negative') return 'fine';
  return 'neutral';
}

/** A result's plain name from the glossary, else the lab's own name. */
export function resultName(result: { code?: string; labName: string }, names: Record<string, string>): string {
  return (result.code && names[result.code]) || result.labName;
}
