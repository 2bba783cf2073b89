/**
 * Numbers as the lab meant them: a FHIR Quantity as an Amount, rounded to the
 * precision the lab reported (not the machine noise some servers send), with
 * its comparator ("<5") and its unit as patients know it (units.ts).
 */
import type { Quantity } from '@medplum/fhirtypes';
import { cleanText } from '../fhir/text.ts';
import type { Amount } from './model.ts';
import { displayUnit } from './units.ts';

/** Decimal places a lab usually reports, by canonical LOINC code, for values that arrive with machine noise. */
const USUAL_DECIMALS: Record<string, number> = {
  '2345-7': 0,
  '2823-3': 1,
  '2951-2': 0,
  '2075-0': 0,
  '2028-9': 0,
  '3094-0': 0,
  '2160-0': 2,
  '17861-6': 1,
  '33914-3': 0,
  '9318-7': 1,
  '4548-4': 1,
  '2093-3': 0,
  '18262-6': 0,
  '2085-9': 0,
  '2571-8': 0,
  '718-7': 1,
  '4544-3': 1,
  '789-8': 2,
  '6690-2': 1,
  '777-3': 0,
  '787-2': 1,
  '785-6': 1,
  '786-4': 1,
  '21000-5': 1,
  '1975-2': 1,
  '2885-2': 1,
  '1751-7': 1,
  '1742-6': 0,
  '1920-8': 0,
  '6768-6': 0,
  '3016-3': 2,
  '6301-6': 1,
  '8867-4': 0,
  '9279-1': 0,
  '59408-5': 0,
  '8310-5': 1,
  '29463-7': 1,
  '8302-2': 1,
  '39156-5': 1,
  '8480-6': 0,
  '8462-4': 0,
  '72514-3': 0,
  '2965-2': 3,
  '2756-5': 1,
};

function decimalsOf(value: number): number {
  if (!Number.isFinite(value)) return 0;
  const text = String(value);
  if (/e-/i.test(text)) return Number(text.split(/e-/i)[1]) + (text.split('.')[1]?.split(/e/i)[0]?.length ?? 0);
  return text.split('.')[1]?.length ?? 0;
}

/**
 * How many decimals to show. Up to three decimals are taken as the lab meant
 * them. More is machine noise (Synthea sends 13–17): then the reference
 * range's precision, else the usual precision for the test, else three
 * significant digits (at most two decimals).
 */
export function displayDecimals(value: number, code: string | undefined, rangeValues: number[] = []): number {
  const given = decimalsOf(value);
  if (given <= 3) return given;
  if (rangeValues.length) return Math.max(...rangeValues.map(decimalsOf).map((d) => Math.min(d, 3)));
  const usual = code ? USUAL_DECIMALS[code] : undefined;
  if (usual !== undefined) return usual;
  const magnitude = Math.floor(Math.log10(Math.abs(value) || 1));
  return Math.max(0, Math.min(2, 2 - magnitude));
}

const COMPARATORS = new Set(['<', '<=', '>', '>=']);

/** A quantity as an Amount to show, or undefined when it has no usable number. */
export function amount(
  q: Quantity | undefined,
  code: string | undefined,
  rangeValues: number[] = [],
): Amount | undefined {
  if (typeof q?.value !== 'number' || !Number.isFinite(q.value)) return undefined;
  const decimals = displayDecimals(q.value, code, rangeValues);
  return {
    value: Number(q.value.toFixed(decimals)),
    decimals,
    ...(q.comparator && COMPARATORS.has(q.comparator)
      ? { comparator: q.comparator as Amount['comparator'] & string }
      : {}),
    unit: displayUnit(q, code),
    unitKey: cleanText(q.code ?? q.unit),
  } as Amount;
}
