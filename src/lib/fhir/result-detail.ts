/**
 * One result in full (the result detail page): the observation, its panel's
 * members, and the same test's history as trend series. Only that page loads this.
 */
import { read, search, type Page } from './client.ts';
import { canonicalCode, loincOf, sameTestTokens } from './loinc.ts';
import { mapObservation, type ObservationLike, type Result } from './results.ts';
import { OBSERVATION_ELEMENTS, patientContext, type Obs } from './results-api.ts';

/** The codes that count as the same test, as a FHIR token list (system|code,…). */
export function codeTokens(code: { coding?: { system?: string; code?: string }[] } | undefined): string | undefined {
  const loinc = loincOf(code);
  if (loinc) return sameTestTokens(canonicalCode(loinc));
  const any = code?.coding?.find((c) => c.system && c.code);
  return any ? `${any.system}|${any.code}` : undefined;
}

export interface ResultDetail {
  result: Result;
  observation: ObservationLike;
  /** A panel's results (hasMember), in order. */
  members: Result[];
  /** Earlier and later values of the same test, oldest first (this one included). */
  history: Result[];
}

/** The query shape of a test's history: the island and the page's early requests (early.ts) both use it. */
export const historyParams = (tokens: string): Record<string, string> => ({ code: tokens, _sort: 'date', _count: '100', _elements: OBSERVATION_ELEMENTS });

/** Where the results list's link names the test (sameTestTokens), in the page address's fragment: `#history=…` (no server sees a fragment). */
export function historyHint(hash: string): string | undefined {
  return new URLSearchParams(hash.replace(/^#/, '')).get('history') ?? undefined;
}

/**
 * One result in full, its panel members, and its history for trends. When
 * the link named the test (`sameTest`), its history is asked for beside the
 * result instead of after it, and used only if the result is that test.
 */
export async function resultDetail(id: string, signal?: AbortSignal, sameTest?: string): Promise<ResultDetail | undefined> {
  const early = sameTest ? search<Obs>('Observation', historyParams(sameTest), signal) : undefined;
  // Not used when the result is another test (or a panel): its failure then means nothing.
  early?.catch(() => undefined);
  const observation = await read<Obs>('Observation', id, {}, signal);
  const needsPatient = (observation.referenceRange?.length ?? 0) > 1;
  const patient = needsPatient ? await patientContext(signal) : {};
  const result = mapObservation(observation, patient);
  if (!result) return undefined;
  const tokens = codeTokens(observation.code);
  const [members, history] = await Promise.all([
    result.members.length
      ? search<Obs>('Observation', { _id: result.members.join(','), _count: String(result.members.length), _elements: OBSERVATION_ELEMENTS }, signal)
      : undefined,
    tokens && !result.members.length ? (tokens === sameTest && early ? early : search<Obs>('Observation', historyParams(tokens), signal)) : undefined,
  ]);
  const map = (page: Page<Obs> | undefined) => (page?.resources ?? []).map((o) => mapObservation(o, patient)).filter((r): r is Result => !!r);
  const order = new Map(result.members.map((m, i) => [m, i]));
  return {
    result,
    observation,
    members: map(members).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0)),
    history: map(history).sort((a, b) => Date.parse(a.date ?? '') - Date.parse(b.date ?? '')),
  };
}

// The trend's series are computed by the trend's own code, loaded after the result (trend.ts).
export type { TrendSeries } from './trend.ts';
