/**
 * What a message about a result is about: the test's plain name (from the
 * glossary when Clara knows the test) and the date it was done. Loaded only
 * when the patient writes about a result ("Ask about this result").
 */
import type { Observation } from '@medplum/fhirtypes';
import { cleanText } from '../fhir/text.ts';
import { glossaryEntry } from '../glossary-client.ts';
import { canonicalCode, loincOf } from './loinc.ts';
import { dateOf } from './map-observation.ts';

/** `glossary` is the language's glossary folder, e.g. "/en/labs/". */
export async function resultSubject(
  observation: Observation,
  glossary: string,
): Promise<{ name: string; date?: string } | undefined> {
  const loinc = loincOf(observation.code);
  const entry = loinc ? await glossaryEntry(glossary, canonicalCode(loinc)) : undefined;
  const name = entry?.name || cleanText(observation.code?.text) || cleanText(observation.code?.coding?.[0]?.display);
  if (!name) return undefined;
  const date = dateOf(observation);
  return { name, ...(date ? { date } : {}) };
}
