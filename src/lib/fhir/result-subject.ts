/**
 * What a message about a result is about: the test's plain name (from the
 * glossary when Clara knows the test) and the date it was done. Loaded only
 * when the patient writes about a result ("Ask about this result").
 */
import { canonicalCode, loincOf } from './loinc.ts';
import { dateOf, type ObservationLike } from './results.ts';
import { cleanText } from './text.ts';

export function resultSubject(observation: ObservationLike, names: Record<string, string>): { name: string; date?: string } | undefined {
  const loinc = loincOf(observation.code);
  const name = (loinc && names[canonicalCode(loinc)]) || cleanText(observation.code?.text) || cleanText(observation.code?.coding?.[0]?.display);
  if (!name) return undefined;
  const date = dateOf(observation);
  return { name, ...(date ? { date } : {}) };
}
