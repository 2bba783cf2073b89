/**
 * Fetching results: only the elements the pages show, one request where one
 * will do, paging through long histories instead of loading everything.
 */
import type { DiagnosticReport, Observation, Patient } from '@medplum/fhirtypes';
import { getSession } from '../auth/session.ts';
import { read, search, type Page } from '../fhir/client.ts';
import { mapObservation } from './map-observation.ts';
import type { PatientContext, Result } from './model.ts';
import { PATIENT_CONTEXT } from '../storage-keys.ts';

/** What the list and the trend show of an Observation (never notes, performers or specimens). */
export const OBSERVATION_ELEMENTS = [
  'code',
  'status',
  'category',
  'effectiveDateTime',
  'effectivePeriod',
  'issued',
  'value',
  'valueQuantity',
  'valueCodeableConcept',
  'valueString',
  'valueRange',
  'valueBoolean',
  'valueInteger',
  'dataAbsentReason',
  'interpretation',
  'referenceRange',
  'component',
  'hasMember',
].join(',');
export const REPORT_ELEMENTS = 'code,status,effectiveDateTime,effectivePeriod,issued,result';
export const PAGE_SIZE = 50;

export type Obs = Observation;
type Report = DiagnosticReport;

/** The query shapes of the list's first requests: the islands and the page's early requests (../fhir/early.ts) both use these. */
export const PATIENT_CONTEXT_PARAMS = { _elements: 'birthDate,gender' };
export const firstObservationsParams = (): Record<string, string> => ({
  category: 'laboratory,vital-signs',
  _sort: '-date',
  _count: String(PAGE_SIZE),
  _elements: OBSERVATION_ELEMENTS,
});
export const firstReportsParams = (): Record<string, string> => ({
  _sort: '-date',
  _count: String(PAGE_SIZE),
  _elements: REPORT_ELEMENTS,
});

/** Birth date and sex, for age- and sex-specific usual ranges; fetched once per session. */
export async function patientContext(signal?: AbortSignal): Promise<PatientContext> {
  const session = getSession();
  if (!session) return {};
  try {
    const cached = sessionStorage.getItem(PATIENT_CONTEXT);
    if (cached) return JSON.parse(cached) as PatientContext;
  } catch {
    // not cached
  }
  const patient = await read<Patient>('Patient', session.patientId, PATIENT_CONTEXT_PARAMS, signal).catch(
    () => undefined,
  );
  const context: PatientContext = {
    ...(typeof patient?.birthDate === 'string' ? { birthDate: patient.birthDate } : {}),
    ...(typeof patient?.gender === 'string' ? { gender: patient.gender } : {}),
  };
  try {
    sessionStorage.setItem(PATIENT_CONTEXT, JSON.stringify(context));
  } catch {
    // fine: asked again next time
  }
  return context;
}

export interface ResultsCursor {
  observations?: string;
  reports?: string;
}

export interface ResultsBatch {
  results: Result[];
  reports: DiagnosticReport[];
  next: ResultsCursor;
  /** More results exist beyond this batch. */
  more: boolean;
}

/**
 * One page of results (labs and vital signs, newest first) with the reports
 * that group them, fetched side by side. Later pages follow the servers'
 * `next` links. The patient's birth date and sex may still be on their way
 * (a promise): the searches do not wait for them, only the mapping does.
 */
export async function resultsPage(
  cursor: ResultsCursor | undefined,
  patientContext: PatientContext | Promise<PatientContext>,
  signal?: AbortSignal,
): Promise<ResultsBatch> {
  const first = !cursor;
  const [observations, reports] = await Promise.all([
    first
      ? search<Obs>('Observation', firstObservationsParams(), signal)
      : cursor.observations
        ? search<Obs>('Observation', cursor.observations, signal)
        : Promise.resolve<Page<Obs>>({ resources: [], included: [] }),
    first
      ? search<Report>('DiagnosticReport', firstReportsParams(), signal).catch(
          () => ({ resources: [], included: [] }) as Page<Report>,
        )
      : cursor.reports
        ? search<Report>('DiagnosticReport', cursor.reports, signal).catch(
            () => ({ resources: [], included: [] }) as Page<Report>,
          )
        : Promise.resolve<Page<Report>>({ resources: [], included: [] }),
  ]);
  const patient = await patientContext;
  const results = observations.resources.map((o) => mapObservation(o, patient)).filter((r): r is Result => !!r);
  const next: ResultsCursor = {
    ...(observations.next ? { observations: observations.next } : {}),
    ...(reports.next ? { reports: reports.next } : {}),
  };
  return { results, reports: reports.resources, next, more: !!observations.next };
}

/** The results list as the page holds it (and saves it). */
export interface ResultsListData {
  results: Result[];
  reports: DiagnosticReport[];
  next: ResultsCursor;
  more: boolean;
  /** Where each page loaded so far ended (results and reports up to it, and what came after), to keep the newest pages. */
  pages?: { results: number; reports: number; next: ResultsCursor; more: boolean }[];
}

/**
 * The saved copy keeps at most this many results: the newest pages, with
 * the link to the page after them, so "Show older results" still follows on
 * (a patient with ten years of labs does not fill the device).
 */
export const KEEP_RESULTS = 200;

export function keepNewest(data: ResultsListData): ResultsListData {
  if (data.results.length <= KEEP_RESULTS) return data;
  const page = [...(data.pages ?? [])].reverse().find((p) => p.results <= KEEP_RESULTS);
  // (The first page always fits: PAGE_SIZE is smaller.)
  if (!page) return data;
  const pages = (data.pages ?? []).filter((p) => p.results <= page.results);
  return {
    results: data.results.slice(0, page.results),
    reports: data.reports.slice(0, page.reports),
    next: page.next,
    more: page.more,
    pages,
  };
}
