/**
 * The parts of an Observation's value that need more than a look: a coded
 * answer in its plain words, a blood pressure from its parts (found by code),
 * and why a value is missing (dataAbsentReason). map-observation.ts puts
 * them together.
 */
import type { CodeableConcept, Observation } from '@medplum/fhirtypes';
import { cleanText } from '../fhir/text.ts';
import { DIASTOLIC, loincOf, SYSTOLIC } from './loinc.ts';
import type { AbsentReason, ResultValue } from './model.ts';
import { amount } from './precision.ts';

const ABSENT: Record<string, AbsentReason> = {
  unknown: 'unknown',
  'asked-unknown': 'unknown',
  'temp-unknown': 'unknown',
  'not-asked': 'unknown',
  'asked-declined': 'unknown',
  'not-performed': 'not-performed',
  'not-applicable': 'not-applicable',
  'not-a-number': 'error',
  error: 'error',
  masked: 'masked',
  unsupported: 'other',
  'as-text': 'other',
  'negative-infinity': 'other',
  'positive-infinity': 'other',
};

export function absentReason(concept: CodeableConcept | undefined): AbsentReason {
  const code = concept?.coding?.find((c) => c.code)?.code ?? '';
  return ABSENT[code] ?? 'other';
}

/** A concept's words: its text, else a coding's display, else a code. */
export function conceptText(concept: CodeableConcept | undefined): string {
  return (
    cleanText(concept?.text) ||
    cleanText(concept?.coding?.find((c) => c.display)?.display) ||
    cleanText(concept?.coding?.[0]?.code)
  );
}

/** The patient-facing text of a coded answer: "Urine glucose test = ++ (finding)" → "++". */
export function codedAnswer(concept: CodeableConcept | undefined): string {
  const text = conceptText(concept);
  const afterEquals = /=\s*([^=]+?)\s*(?:\((?:finding|qualifier value)\))?$/i.exec(text);
  return (afterEquals?.[1] ?? text.replace(/\s*\((?:finding|qualifier value)\)$/i, '')).trim();
}

/** A blood pressure from its parts (systolic and diastolic components, found by code). */
export function bloodPressure(obs: Observation): ResultValue {
  const part = (loinc: string) => obs.component?.find((c) => loincOf(c.code) === loinc);
  const systolic = part(SYSTOLIC);
  const diastolic = part(DIASTOLIC);
  const s = amount(systolic?.valueQuantity, SYSTOLIC);
  const d = amount(diastolic?.valueQuantity, DIASTOLIC);
  if (!s && !d) {
    const reason = obs.dataAbsentReason ?? systolic?.dataAbsentReason ?? diastolic?.dataAbsentReason;
    return reason ? { kind: 'absent', reason: absentReason(reason) } : { kind: 'none' };
  }
  return { kind: 'pressure', ...(s ? { systolic: s } : {}), ...(d ? { diastolic: d } : {}) };
}
