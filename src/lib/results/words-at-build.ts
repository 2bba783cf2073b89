/**
 * The result words islands need (values, units, flags), looked up at build
 * time by the results pages (i18next never reaches the browser).
 */
import { useT, type Key, type Lang } from '../i18n/index.ts';
import type { ResultWords } from './words.ts';

const KEYS = [
  'value.lessThan',
  'value.atMost',
  'value.moreThan',
  'value.atLeast',
  'value.between',
  'value.yes',
  'value.no',
  'value.none',
  'unit.beatsPerMinute',
  'unit.breathsPerMinute',
  'unit.outOf10',
  'flag.high',
  'flag.low',
  'flag.critical-high',
  'flag.critical-low',
  'flag.critical',
  'flag.abnormal',
  'flag.normal',
  'flag.positive',
  'flag.negative',
  'absent.unknown',
  'absent.not-performed',
  'absent.error',
  'absent.not-applicable',
  'absent.masked',
  'absent.other',
] as const satisfies readonly (keyof ResultWords)[];

export function resultWords(lang: Lang): ResultWords {
  const t = useT(lang);
  return Object.fromEntries(KEYS.map((k) => [k, t(`results:${k}` as Key)])) as ResultWords;
}
