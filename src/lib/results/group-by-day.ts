/**
 * The results list's order: results grouped by day (newest first) and,
 * within a day, by panel (a DiagnosticReport, or a panel Observation).
 */
import type { DiagnosticReport } from '@medplum/fhirtypes';
import { canonicalCode, loincOf } from './loinc.ts';
import { dateOf, statusOf } from './map-observation.ts';
import type { Result } from './model.ts';
import { conceptText } from './values.ts';

export interface Panel {
  /** The report or panel observation id. */
  id: string;
  code?: string;
  labName: string;
  results: Result[];
}

export interface Day {
  /** YYYY-MM-DD in the clinic's time zone. */
  day: string;
  panels: Panel[];
  /** Results on that day that belong to no panel. */
  single: Result[];
}

/** The calendar day of a date-time in a time zone ("2026-11-21"). */
export function dayOf(date: string, timeZone: string): string {
  const parsed = new Date(date.length === 10 ? `${date}T12:00:00Z` : date);
  if (Number.isNaN(parsed.getTime())) return date.slice(0, 10);
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    parsed,
  );
}

const newestFirst = (a?: string, b?: string) => Date.parse(b ?? '') - Date.parse(a ?? '') || 0;

/**
 * Groups results by day (newest first) and, within a day, by panel: a
 * DiagnosticReport's `result` list, and panel Observations' `hasMember`,
 * followed down (a report → panels → analytes). A result shown in a panel is
 * not repeated on its own.
 */
export function groupResults(results: Result[], reports: DiagnosticReport[], timeZone: string): Day[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  const used = new Set<string>();

  const expand = (ids: string[], seen = new Set<string>()): Result[] => {
    const out: Result[] = [];
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      const result = byId.get(id);
      if (!result) continue;
      if (result.members.length) out.push(...expand(result.members, seen));
      else out.push(result);
    }
    return out;
  };

  const panels: (Panel & { date?: string })[] = [];
  for (const report of reports) {
    if (!report.id || statusOf(report.status) === 'hidden') continue;
    const ids = (report.result ?? [])
      .map((r) => r.reference ?? '')
      .filter((ref) => ref.startsWith('Observation/'))
      .map((ref) => ref.slice(12));
    const members = expand(ids).filter((r) => !used.has(r.id));
    if (!members.length) continue;
    for (const m of members) used.add(m.id);
    for (const id of ids) used.add(id);
    const loinc = loincOf(report.code);
    const date = dateOf(report) ?? members[0]?.date;
    panels.push({
      id: report.id,
      ...(loinc ? { code: canonicalCode(loinc) } : {}),
      labName: conceptText(report.code),
      results: members,
      ...(date ? { date } : {}),
    });
  }
  for (const result of results) {
    if (!result.members.length || used.has(result.id)) continue;
    const members = expand(result.members).filter((r) => !used.has(r.id));
    used.add(result.id);
    if (!members.length) continue;
    for (const m of members) used.add(m.id);
    panels.push({
      id: result.id,
      ...(result.code ? { code: result.code } : {}),
      labName: result.labName,
      results: members,
      ...(result.date ? { date: result.date } : {}),
    });
  }

  const days = new Map<string, Day>();
  const dayFor = (date: string | undefined) => {
    const key = date ? dayOf(date, timeZone) : 'unknown';
    let day = days.get(key);
    if (!day) {
      day = { day: key, panels: [], single: [] };
      days.set(key, day);
    }
    return day;
  };
  for (const panel of panels) {
    panel.results.sort((a, b) => newestFirst(a.date, b.date));
    const { date, ...rest } = panel;
    dayFor(date).panels.push(rest);
  }
  for (const result of results) {
    if (used.has(result.id) || result.members.length) continue;
    dayFor(result.date).single.push(result);
  }
  return [...days.values()].sort((a, b) =>
    a.day === 'unknown' ? 1 : b.day === 'unknown' ? -1 : b.day.localeCompare(a.day),
  );
}
