/**
 * Usual ranges: the one of a lab's reference ranges that applies to this
 * patient (by sex and age on the day), as an Amount range or the lab's text.
 */
import type { ObservationReferenceRange } from '@medplum/fhirtypes';
import { cleanText } from '../fhir/text.ts';
import type { PatientContext, UsualRange } from './model.ts';
import { amount } from './precision.ts';

function ageOn(birthDate: string | undefined, date: string | undefined): number | undefined {
  if (!birthDate || !/^\d{4}-\d{2}-\d{2}/.test(birthDate)) return undefined;
  const on = date ? new Date(date) : new Date();
  const birth = new Date(`${birthDate.slice(0, 10)}T00:00:00Z`);
  let years = on.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    on.getUTCMonth() < birth.getUTCMonth() ||
    (on.getUTCMonth() === birth.getUTCMonth() && on.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) years--;
  return years;
}

function sexOf(range: ObservationReferenceRange): 'female' | 'male' | undefined {
  for (const concept of range.appliesTo ?? []) {
    const words = [concept.text, ...(concept.coding ?? []).map((c) => `${c.code ?? ''} ${c.display ?? ''}`)]
      .join(' ')
      .toLowerCase();
    if (/\b(female|women|woman|248152002)\b/.test(words)) return 'female';
    if (/\b(male|men|man|248153007)\b/.test(words)) return 'male';
  }
  return undefined;
}

/**
 * The usual range that applies to this patient: one for their sex and age
 * when the lab gave several, else the general ("normal" type) one.
 */
export function pickRange(
  ranges: ObservationReferenceRange[] | undefined,
  patient: PatientContext,
  date: string | undefined,
): ObservationReferenceRange | undefined {
  const list = (ranges ?? []).filter((r) => {
    const type = r.type?.coding?.[0]?.code;
    return !type || type === 'normal' || type === 'treatment';
  });
  if (list.length <= 1) return list[0];
  const age = ageOn(patient.birthDate, date);
  const fits = list.filter((r) => {
    const sex = sexOf(r);
    // A range for one sex applies only when the patient's sex is known to match.
    if (sex && sex !== patient.gender) return false;
    const low = r.age?.low?.value;
    const high = r.age?.high?.value;
    if (age !== undefined && ((low !== undefined && age < low) || (high !== undefined && age > high))) return false;
    if (age === undefined && (low !== undefined || high !== undefined)) return false;
    return true;
  });
  // The most specific range that fits: an age band counts more than a sex.
  const score = (r: ObservationReferenceRange) => (r.age ? 2 : 0) + (sexOf(r) ? 1 : 0);
  const best = [...fits].sort((a, b) => score(b) - score(a))[0];
  return best && (score(best) > 0 || fits.length === 1) ? best : fits.find((r) => !sexOf(r) && !r.age);
}

/** A reference range as Clara shows it: low and high as Amounts (in the range's own precision), or its text. */
export function usualRange(
  range: ObservationReferenceRange | undefined,
  code: string | undefined,
): UsualRange | undefined {
  if (!range) return undefined;
  const values = [range.low?.value, range.high?.value].filter((v): v is number => typeof v === 'number');
  const low = amount(range.low, code, values);
  const high = amount(range.high, code, values);
  if (low && high) return { kind: 'between', low, high };
  if (low) return { kind: 'at-least', low };
  if (high) return { kind: 'at-most', high };
  const text = cleanText(range.text);
  return text ? { kind: 'text', text } : undefined;
}
