/**
 * Units as patients know them: UCUM codes ("mm[Hg]", "10*3/uL") as the
 * symbols printed on a lab report, a few as words ("beats per minute",
 * looked up in the page's language by words.ts), and no unit where one would
 * only confuse ("{ratio}", pH).
 */
import type { Quantity } from '@medplum/fhirtypes';
import { cleanText } from '../fhir/text.ts';
import type { Unit, UnitWords } from './model.ts';

const UNIT_SYMBOLS: Record<string, string> = {
  'mm[Hg]': 'mmHg',
  Cel: '°C',
  '[degF]': '°F',
  'kg/m2': 'kg/m²',
  '10*3/uL': '× 1000/µL',
  '10*6/uL': 'million/µL',
  '10*9/L': '× 10⁹/L',
  'x10*9/L': '× 10⁹/L',
  '10*12/L': '× 10¹²/L',
  'x10*12/L': '× 10¹²/L',
  'K/uL': '× 1000/µL',
  'M/uL': 'million/µL',
  'ug/dL': 'µg/dL',
  'ug/L': 'µg/L',
  'umol/L': 'µmol/L',
  'uIU/mL': 'µIU/mL',
  'm[IU]/L': 'mIU/L',
  '/uL': '/µL',
  'mL/min/{1.73_m2}': 'mL/min/1.73 m²',
  'mL/min/1.73m2': 'mL/min/1.73 m²',
  'mL/min/1.73 m2': 'mL/min/1.73 m²',
  '%O2': '%',
  '[in_i]': 'in',
  '[lb_av]': 'lb',
  '[IU]/L': 'IU/L',
  '/[HPF]': 'per high-power field',
};
const UNIT_WORDS: Record<string, UnitWords> = {
  '{beats}/min': 'beatsPerMinute',
  '/min': 'beatsPerMinute',
  'beats/minute': 'beatsPerMinute',
  'breaths/min': 'breathsPerMinute',
  'breaths per minute': 'breathsPerMinute',
  '{breaths}/min': 'breathsPerMinute',
  '{score}': 'outOf10',
};
const NO_UNIT = new Set(['{nominal}', '{urine specific grav}', '(pH)', 'pH', '[pH]', '1', '{ratio}', '{index}']);

export function displayUnit(quantity: Quantity | undefined, code?: string): Unit {
  const raw = cleanText(quantity?.code ?? quantity?.unit);
  const text = cleanText(quantity?.unit ?? quantity?.code);
  if (!raw && !text) return { none: true };
  if (code === '9279-1' && (raw === '/min' || text === '/min')) return { words: 'breathsPerMinute' };
  const words = UNIT_WORDS[raw] ?? UNIT_WORDS[text];
  if (words) return words === 'outOf10' && code !== '72514-3' ? { none: true } : { words };
  if (NO_UNIT.has(raw) || NO_UNIT.has(text)) return { none: true };
  const symbol =
    UNIT_SYMBOLS[raw] ?? UNIT_SYMBOLS[text] ?? text.replace(/\{[^}]*\}/g, '').replace(/\bu(?=[gLmIU])/g, 'µ');
  return symbol ? { symbol } : { none: true };
}
