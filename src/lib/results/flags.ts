/**
 * Flags (high, low, critical, normal…): the lab's own interpretation first,
 * else Clara's comparison of the value with the usual range, else none:
 * never guessed.
 */
import type { CodeableConcept, Observation } from '@medplum/fhirtypes';
import { cleanText } from '../fhir/text.ts';
import type { Amount, Flag, UsualRange } from './model.ts';

/**
 * v3 ObservationInterpretation codes Clara puts into words. Codes about
 * change (U, D, B, W), microbiology (S, R, I) and indeterminate results are
 * left without a flag rather than guessed.
 */
const INTERPRETATION: Record<string, Flag> = {
  HH: 'critical-high',
  HU: 'critical-high',
  LL: 'critical-low',
  LU: 'critical-low',
  AA: 'critical',
  H: 'high',
  L: 'low',
  '>': 'high',
  '<': 'low',
  A: 'abnormal',
  N: 'normal',
  POS: 'positive',
  DET: 'positive',
  NEG: 'negative',
  ND: 'negative',
  NR: 'negative',
};

/** The lab's own interpretation, from v3 ObservationInterpretation codes (or a plain-text word). */
export function labFlag(interpretation: CodeableConcept[] | undefined): Flag | undefined {
  for (const concept of interpretation ?? []) {
    for (const coding of concept.coding ?? []) {
      const flag = coding.code ? INTERPRETATION[coding.code.toUpperCase()] : undefined;
      if (flag) return flag;
    }
    const text = cleanText(concept.text).toLowerCase();
    if (['high', 'alto', 'h'].includes(text)) return 'high';
    if (['low', 'bajo', 'l'].includes(text)) return 'low';
    if (['normal', 'n'].includes(text)) return 'normal';
  }
  return undefined;
}

function sameUnit(a: Amount, b: Amount): boolean {
  return !a.unitKey || !b.unitKey || a.unitKey.toLowerCase() === b.unitKey.toLowerCase();
}

/** Compares a value with the usual range; undefined when the comparison cannot be made honestly. */
export function flagFromRange(value: Amount, range: UsualRange | undefined): Flag | undefined {
  if (!range || range.kind === 'text') return undefined;
  const low = range.kind === 'between' || range.kind === 'at-least' ? range.low : undefined;
  const high = range.kind === 'between' || range.kind === 'at-most' ? range.high : undefined;
  if ((low && !sameUnit(value, low)) || (high && !sameUnit(value, high))) return undefined;
  const v = value.value;
  const c = value.comparator;
  // "<5": only what it is below is known; ">200": only what it is above.
  const atMost = c === '<' || c === '<=';
  const atLeast = c === '>' || c === '>=';
  if (low) {
    if (!atLeast && (c === '<' ? v <= low.value : v < low.value)) return 'low';
    if (atMost && v > low.value) return undefined;
  }
  if (high) {
    if (!atMost && (c === '>' ? v >= high.value : v > high.value)) return 'high';
    if (atLeast && v < high.value) return undefined;
  }
  return 'normal';
}

/** A blood pressure's flag: the most serious of the lab's flags on the reading and on its parts. */
export function pressureFlag(obs: Observation): Flag | undefined {
  const flags = [labFlag(obs.interpretation), ...(obs.component ?? []).map((c) => labFlag(c.interpretation))].filter(
    (f): f is Flag => !!f,
  );
  const order: Flag[] = ['critical-high', 'critical-low', 'critical', 'high', 'low', 'abnormal', 'normal'];
  return order.find((f) => flags.includes(f));
}
