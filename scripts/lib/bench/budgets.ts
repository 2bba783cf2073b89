/**
 * Clara's performance budgets (bench/budgets.json), checked: pure functions
 * over the numbers the bench measured, so a test can show each one failing.
 *
 * Byte budgets are deterministic (read from the build) and fail CI
 * (`npm run bench -- --bytes-only` in .ci/run); timing budgets are measured
 * on a shared machine and reported by the full bench.
 */
import { readFileSync } from 'node:fs';

export interface Profile {
  /** Round trip, ms. */
  latencyMs: number;
  /** Bandwidth, both ways, in kilobits per second. */
  kbps: number;
  /** How many times slower the CPU runs. */
  cpuSlowdown: number;
}

export type PageKind = 'withPatientData' | 'withoutPatientData';

export interface Budgets {
  profile: Profile;
  /** Brotli bodies of a first visit, every page. */
  firstVisitBytes: number;
  /** The JavaScript a page runs (brotli), by kind of page. */
  javascriptBytes: Record<PageKind, number>;
  /** Bytes on the wire before the patient's data on a repeat visit (service worker installed). */
  repeatVisitBytes: number;
  /** Lighthouse performance, accessibility and best practices, each. */
  lighthouse: number;
  /** Time to data ÷ floor on every data page's first visit over the bench's link. */
  floorRatio: number;
  /** Time to data on every data page's repeat visit over the bench's link, ms. */
  repeatVisitDataMs: number;
}

export function readBudgets(file = 'bench/budgets.json'): Budgets {
  return JSON.parse(readFileSync(file, 'utf8')) as Budgets;
}

/** One page's bytes, as the build has them (--bytes-only) or as a first visit fetched them. */
export interface BytesRow {
  page: string;
  kind: PageKind;
  firstVisitBytes: number;
  javascriptBytes: number;
}

/** One page's measured times. */
export interface TimingRow {
  page: string;
  /** The page shows patient data (it has a time to data and a floor). */
  data: boolean;
  /** First visit over the bench's link: the data on screen, ms, and that ÷ the floor (undefined: the data never showed). */
  dataMs?: number;
  floorRatio?: number;
  /** When the data never showed: what the page said instead (e.g. "timeout"). */
  problem?: string;
  /** The repeat visit (undefined: not visited again); its dataMs is undefined when the data never showed. */
  repeat?: { dataMs?: number; bytes: number; problem?: string };
  /** Lighthouse scores by category; undefined when not measured, null when it does not apply (not a page shell). */
  lighthouse?: Record<string, number> | null;
}

export interface Breach {
  page: string;
  message: string;
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

export function checkBytes(rows: BytesRow[], budgets: Budgets): Breach[] {
  const out: Breach[] = [];
  for (const row of rows) {
    if (row.firstVisitBytes > budgets.firstVisitBytes)
      out.push({
        page: row.page,
        message: `first visit ${kb(row.firstVisitBytes)} KB > ${kb(budgets.firstVisitBytes)} KB`,
      });
    const js = budgets.javascriptBytes[row.kind];
    if (row.javascriptBytes > js)
      out.push({
        page: row.page,
        message: `JS ${kb(row.javascriptBytes)} KB > ${kb(js)} KB (${row.kind === 'withPatientData' ? 'a page with patient data' : 'a page without patient data'})`,
      });
  }
  return out;
}

/** Timing budgets; a budget whose number was not measured is broken (a silent gap would pass). */
export function checkTimings(rows: TimingRow[], budgets: Budgets, options: { lighthouse: boolean }): Breach[] {
  const out: Breach[] = [];
  for (const row of rows) {
    if (row.data) {
      if (row.floorRatio === undefined)
        out.push({
          page: row.page,
          message: `time to data ÷ floor not measured (the data never showed${row.problem ? `; the page said: ${row.problem}` : ''})`,
        });
      else if (row.floorRatio > budgets.floorRatio)
        out.push({
          page: row.page,
          message: `data at ${row.dataMs ?? '—'} ms = ${row.floorRatio.toFixed(2)} × floor > ${budgets.floorRatio} (first visit)`,
        });
      if (row.repeat && row.repeat.dataMs === undefined)
        out.push({
          page: row.page,
          message: `repeat visit: the data never showed${row.repeat.problem ? ` (the page said: ${row.repeat.problem})` : ''}`,
        });
      else if (row.repeat?.dataMs !== undefined && row.repeat.dataMs > budgets.repeatVisitDataMs)
        out.push({
          page: row.page,
          message: `data at ${row.repeat.dataMs} ms > ${budgets.repeatVisitDataMs} ms (repeat visit)`,
        });
    }
    if (row.repeat && row.repeat.bytes > budgets.repeatVisitBytes)
      out.push({
        page: row.page,
        message: `repeat ${kb(row.repeat.bytes)} KB > ${kb(budgets.repeatVisitBytes)} KB before data`,
      });
    if (options.lighthouse && row.lighthouse !== null) {
      if (!row.lighthouse) out.push({ page: row.page, message: 'Lighthouse not measured' });
      else
        for (const [category, score] of Object.entries(row.lighthouse))
          if (score < budgets.lighthouse)
            out.push({ page: row.page, message: `Lighthouse ${category} ${score} < ${budgets.lighthouse}` });
    }
  }
  return out;
}

/** `bench: first_visit_kb_max=… js_kb_max_data=… js_kb_max_other=…` (and, for the full bench, the timings). */
export function summaryLine(bytes: BytesRow[], timings?: TimingRow[]): string {
  const max = (values: (number | undefined)[]) => {
    const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
    return known.length ? Math.max(...known) : undefined;
  };
  const show = (value: number | undefined, format: (v: number) => string) =>
    value === undefined ? 'na' : format(value);
  const kbOf = (v: number) => kb(v);
  const parts = [
    `first_visit_kb_max=${show(max(bytes.map((r) => r.firstVisitBytes)), kbOf)}`,
    `js_kb_max_data=${show(max(bytes.filter((r) => r.kind === 'withPatientData').map((r) => r.javascriptBytes)), kbOf)}`,
    `js_kb_max_other=${show(max(bytes.filter((r) => r.kind === 'withoutPatientData').map((r) => r.javascriptBytes)), kbOf)}`,
  ];
  if (timings) {
    const data = timings.filter((r) => r.data);
    // A data page whose data never showed makes the maximum unknown, not smaller.
    const worst = (rows: TimingRow[], pick: (r: TimingRow) => number | undefined) =>
      rows.some((r) => pick(r) === undefined) ? Number.POSITIVE_INFINITY : max(rows.map(pick));
    const shells = timings.filter((r) => r.lighthouse !== null);
    const scores = shells.flatMap((r) => Object.values(r.lighthouse ?? {}));
    const lighthouseMissing = shells.some((r) => !r.lighthouse);
    parts.push(
      `data_ms_max=${show(
        worst(data, (r) => r.dataMs),
        (v) => (Number.isFinite(v) ? String(Math.round(v)) : 'never'),
      )}`,
      `floor_ratio_max=${show(
        worst(data, (r) => r.floorRatio),
        (v) => (Number.isFinite(v) ? v.toFixed(2) : 'never'),
      )}`,
      `repeat_data_ms_max=${show(
        worst(
          data.filter((r) => r.repeat),
          (r) => r.repeat?.dataMs,
        ),
        (v) => (Number.isFinite(v) ? String(Math.round(v)) : 'never'),
      )}`,
      `lighthouse_min=${lighthouseMissing || !scores.length ? 'na' : String(Math.min(...scores))}`,
    );
  }
  return `bench: ${parts.join(' ')}`;
}
