/**
 * One FHIR Observation as a Result to show. Pure functions, unit-tested on
 * the shared samples and on fixtures of our own (tests/unit/results.test.ts).
 *
 * Rules:
 * - values: valueQuantity rounded to the precision the lab meant, comparators
 *   in words, valueString, valueCodeableConcept, valueRange, missing values
 *   (dataAbsentReason) in words; blood pressure from components found by code
 *   (values.ts, precision.ts, units.ts);
 * - interpretation from `interpretation` codes, else from `referenceRange`,
 *   else none: never guessed (flags.ts, ranges.ts);
 * - entered-in-error hidden; amended/corrected and preliminary shown as such;
 * - display text cleaned of zero-width and control characters.
 *
 * The data is read defensively: the types say what a server should send,
 * not what it does (any field may be missing).
 */
import type { Observation } from '@medplum/fhirtypes';
import { cleanMultiline } from '../fhir/text.ts';
// Imported in this order, the modules sit in the browser file in the order of the one file they were split from
// (codes, units, numbers, ranges, flags, values), which brotli compresses best (src/build/chunks.ts).
import { BLOOD_PRESSURE_CODES, canonicalCode, loincOf } from './loinc.ts';
import { amount } from './precision.ts';
import { pickRange, usualRange } from './ranges.ts';
import { flagFromRange, labFlag, pressureFlag } from './flags.ts';
import { absentReason, bloodPressure, codedAnswer, conceptText } from './values.ts';
import type { FlagSource, PatientContext, Result, ResultStatus, ResultValue } from './model.ts';

/** A FHIR status (of an Observation or a DiagnosticReport) as Clara shows it; `hidden`: entered in error. */
export function statusOf(status: string | undefined): ResultStatus | 'hidden' {
  switch (status) {
    case 'final':
      return 'final';
    case 'amended':
    case 'corrected':
      return 'corrected';
    case 'preliminary':
    case 'registered':
      return 'preliminary';
    case 'cancelled':
      return 'cancelled';
    case 'entered-in-error':
      return 'hidden';
    default:
      return 'unknown';
  }
}

function categoryOf(obs: Observation, code: string | undefined): 'laboratory' | 'vital-signs' {
  const vital = (obs.category ?? []).some((c) =>
    (c.coding ?? []).some((x) => x.code === 'vital-signs' || x.code === 'vital-sign'),
  );
  return vital || (code !== undefined && BLOOD_PRESSURE_CODES.has(code)) ? 'vital-signs' : 'laboratory';
}

/** When the sample was taken (or else the result issued), of an Observation or a DiagnosticReport. */
export function dateOf(
  resource: Pick<Observation, 'effectiveDateTime' | 'effectivePeriod' | 'effectiveInstant' | 'issued'>,
): string | undefined {
  return resource.effectiveDateTime ?? resource.effectivePeriod?.start ?? resource.effectiveInstant ?? resource.issued;
}

/**
 * One Observation as a Result, or undefined when it must not be shown
 * (entered in error, or not an Observation at all).
 */
export function mapObservation(obs: Observation, patient: PatientContext = {}): Result | undefined {
  if (obs?.resourceType !== 'Observation' || !obs.id) return undefined;
  const status = statusOf(obs.status);
  if (status === 'hidden') return undefined;
  const loinc = loincOf(obs.code);
  const code = loinc ? canonicalCode(loinc) : undefined;
  const date = dateOf(obs);
  const isPressure = code !== undefined && BLOOD_PRESSURE_CODES.has(code);
  const chosen = pickRange(obs.referenceRange, patient, date);
  const range = usualRange(chosen, code);

  let value: ResultValue;
  if (isPressure) value = bloodPressure(obs);
  else if (obs.valueQuantity) {
    const rangeValues = [chosen?.low?.value, chosen?.high?.value].filter((v): v is number => typeof v === 'number');
    const a = amount(obs.valueQuantity, code, rangeValues);
    value = a ? { kind: 'amount', amount: a } : { kind: 'absent', reason: 'other' };
  } else if (typeof obs.valueInteger === 'number') {
    const a = amount({ value: obs.valueInteger }, code);
    value = a ? { kind: 'amount', amount: a } : { kind: 'none' };
  } else if (typeof obs.valueString === 'string') {
    value = { kind: 'text', text: cleanMultiline(obs.valueString) };
  } else if (obs.valueCodeableConcept) {
    value = { kind: 'text', text: codedAnswer(obs.valueCodeableConcept) };
  } else if (obs.valueRange) {
    const low = amount(obs.valueRange.low, code);
    const high = amount(obs.valueRange.high, code);
    value = low || high ? { kind: 'between', ...(low ? { low } : {}), ...(high ? { high } : {}) } : { kind: 'none' };
  } else if (typeof obs.valueBoolean === 'boolean') {
    value = { kind: 'yes-no', yes: obs.valueBoolean };
  } else if (obs.dataAbsentReason) {
    value = { kind: 'absent', reason: absentReason(obs.dataAbsentReason) };
  } else {
    value = { kind: 'none' };
  }
  if (status === 'cancelled' && value.kind === 'none') value = { kind: 'absent', reason: 'not-performed' };

  // The lab's word first; else the range; else nothing.
  let flag = isPressure ? pressureFlag(obs) : labFlag(obs.interpretation);
  let flagSource: FlagSource | undefined = flag ? 'lab' : undefined;
  if (!flag && value.kind === 'amount') {
    flag = flagFromRange(value.amount, range);
    if (flag) flagSource = 'range';
  }

  const members = (obs.hasMember ?? [])
    .map((m) => m.reference ?? '')
    .filter((ref) => ref.startsWith('Observation/'))
    .map((ref) => ref.slice('Observation/'.length));

  return {
    id: obs.id,
    ...(code ? { code } : {}),
    labName: conceptText(obs.code),
    category: categoryOf(obs, code),
    ...(date ? { date } : {}),
    ...(obs.issued ? { issued: obs.issued } : {}),
    status,
    value,
    ...(flag && flagSource ? { flag, flagSource } : {}),
    ...(range ? { range } : {}),
    notes: (obs.note ?? []).map((n) => cleanMultiline(n.text)).filter(Boolean),
    members,
  };
}
