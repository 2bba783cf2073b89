/**
 * One result in full (the result detail page): the observation, its panel's
 * members, and the same test's history (drawn by the trend, trend-series.ts).
 * Only that page loads this.
 */
import type { CodeableConcept, Observation } from '@medplum/fhirtypes';
import { read, search, type Page } from '../fhir/client.ts';
import { OBSERVATION_ELEMENTS, patientContext, type Obs } from './fetch-list.ts';
import { canonicalCode, loincOf, sameTestTokens } from './loinc.ts';
import { mapObservation } from './map-observation.ts';
import type { Result } from './model.ts';

/** The codes that count as the same test, as a FHIR token list (system|code,…). */
export function codeTokens(code: CodeableConcept | undefined): string | undefined {
  const loinc = loincOf(code);
  if (loinc) return sameTestTokens(canonicalCode(loinc));
  const any = code?.coding?.find((c) => c.system && c.code);
  return any ? `${any.system}|${any.code}` : undefined;
}

export interface ResultDetail {
  result: Result;
  observation: Observation;
  /** A panel's results (hasMember), in order. */
  members: Result[];
  /** Earlier and later values of the same test, oldest first (this one included). */
  history: Result[];
}

/** The query shape of a test's history: the island and the page's early requests (../fhir/early.ts) both use it. */
export const historyParams = (tokens: string): Record<string, string> => ({
  code: tokens,
  _sort: 'date',
  _count: '100',
  _elements: OBSERVATION_ELEMENTS,
});

/** Where the results list's link names the test (sameTestTokens), in the page address's fragment: `#history=…` (no server sees a fragment). */
export function historyHint(hash: string): string | undefined {
  return new URLSearchParams(hash.replace(/^#/, '')).get('history') ?? undefined;
}

/** A result now, and its history still to come. */
export interface ResultParts {
  /** The result and its panel's members (`history` empty: it comes in `history` below). */
  detail: ResultDetail;
  /** The same test over time, oldest first, when there is one to ask for (a panel has none). */
  history?: Promise<Result[]>;
}

/**
 * One result in full and its panel's members; its history for the trend
 * comes after (the page shows the result without waiting for it). When the
 * link named the test (`sameTest`), its history is asked for beside the
 * result instead of after it, and used only if the result is that test.
 */
export async function resultDetail(
  id: string,
  signal?: AbortSignal,
  sameTest?: string,
): Promise<ResultParts | undefined> {
  const early = sameTest ? search<Obs>('Observation', historyParams(sameTest), signal) : undefined;
  // Not used when the result is another test (or a panel): its failure then means nothing.
  early?.catch(() => undefined);
  const observation = await read<Obs>('Observation', id, {}, signal);
  const needsPatient = (observation.referenceRange?.length ?? 0) > 1;
  const patient = needsPatient ? await patientContext(signal) : {};
  const result = mapObservation(observation, patient);
  if (!result) return undefined;
  const tokens = codeTokens(observation.code);
  const map = (page: Page<Obs> | undefined) =>
    (page?.resources ?? []).map((o) => mapObservation(o, patient)).filter((r): r is Result => !!r);
  const history =
    tokens && !result.members.length
      ? (tokens === sameTest && early ? early : search<Obs>('Observation', historyParams(tokens), signal)).then(
          (page) => map(page).sort((a, b) => Date.parse(a.date ?? '') - Date.parse(b.date ?? '')),
        )
      : undefined;
  // A panel's members are the result: they come with it.
  const members = result.members.length
    ? await search<Obs>(
        'Observation',
        { _id: result.members.join(','), _count: String(result.members.length), _elements: OBSERVATION_ELEMENTS },
        signal,
      )
    : undefined;
  const order = new Map(result.members.map((m, i) => [m, i]));
  return {
    detail: {
      result,
      observation,
      members: map(members).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0)),
      history: [],
    },
    ...(history ? { history } : {}),
  };
}
