/**
 * Seed data: every `*.json` FHIR Bundle (transaction, batch or collection) in
 * a folder. References are resolved across files (`urn:uuid:` and absolute
 * fullUrls anywhere in the folder; relative `Type/id` against the entry's own
 * bundle). A bad file or entry is reported with its name and the rest still
 * loads. Optionally keeps each patient's data current by shifting their
 * clinical dates so the latest falls two days before today.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Bundle, Reference, Resource } from '@medplum/fhirtypes';

export interface SeedProblem {
  file: string;
  /** Which entry failed ("entry 12 (Observation/abc)"), or undefined for the whole file. */
  entry?: string;
  message: string;
}

export interface PreparedEntry {
  file: string;
  index: number;
  resource: Resource & { id: string };
}

export interface PreparedSeed {
  entries: PreparedEntry[];
  problems: SeedProblem[];
  files: string[];
}

const BUNDLE_TYPES = new Set(['transaction', 'batch', 'collection']);

/** Reads every *.json in `dir` (sorted by name), keeping what parses as a Bundle of a loadable type. */
export function readBundles(dir: string): { bundles: { file: string; bundle: Bundle }[]; problems: SeedProblem[] } {
  const problems: SeedProblem[] = [];
  const bundles: { file: string; bundle: Bundle }[] = [];
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch (error) {
    return { bundles, problems: [{ file: dir, message: `cannot read the folder: ${(error as Error).message}` }] };
  }
  for (const file of names) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (error) {
      problems.push({ file, message: `not valid JSON: ${(error as Error).message}` });
      continue;
    }
    const bundle = parsed as Bundle;
    if (bundle?.resourceType !== 'Bundle' || !BUNDLE_TYPES.has(bundle.type ?? '')) {
      problems.push({ file, message: 'not a FHIR Bundle of type transaction, batch or collection' });
      continue;
    }
    bundles.push({ file, bundle });
  }
  return { bundles, problems };
}

type Json = Record<string, unknown>;

function walk(value: unknown, visit: (obj: Json) => void): void {
  if (Array.isArray(value)) for (const v of value) walk(v, visit);
  else if (value && typeof value === 'object') {
    visit(value as Json);
    for (const v of Object.values(value)) walk(v, visit);
  }
}

/** "https://example.com/base/Observation/1" → "https://example.com/base/" */
function baseOf(fullUrl: string): string | undefined {
  const match = /^(.*\/)[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.exec(fullUrl);
  return match?.[1];
}

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * Assigns every entry a stable id (the UUID of a `urn:uuid:` fullUrl, else the
 * resource's own id, else a new one; a new one also when an id repeats) and
 * rewrites references to `Type/id`.
 */
export function prepareSeed(bundles: { file: string; bundle: Bundle }[]): PreparedSeed {
  const problems: SeedProblem[] = [];
  const byFullUrl = new Map<string, string>();
  const taken = new Set<string>();
  const staged: { file: string; index: number; fullUrl?: string; resource: Resource & { id: string } }[] = [];

  for (const { file, bundle } of bundles) {
    (bundle.entry ?? []).forEach((entry, index) => {
      const resource = entry.resource as (Resource & { id?: string }) | undefined;
      if (!resource?.resourceType) {
        problems.push({ file, entry: `entry ${index}`, message: 'has no resource' });
        return;
      }
      const copy = structuredClone(resource) as Resource & { id: string };
      const fromUrl = entry.fullUrl?.startsWith('urn:uuid:') ? entry.fullUrl.slice(9) : undefined;
      let id = fromUrl ?? copy.id ?? entry.fullUrl?.split('/').pop();
      if (!id || !ID.test(id) || taken.has(`${copy.resourceType}/${id}`)) id = randomUUID();
      taken.add(`${copy.resourceType}/${id}`);
      copy.id = id;
      if (entry.fullUrl) byFullUrl.set(entry.fullUrl, `${copy.resourceType}/${id}`);
      staged.push({ file, index, ...(entry.fullUrl ? { fullUrl: entry.fullUrl } : {}), resource: copy });
    });
  }

  for (const item of staged) {
    const base = item.fullUrl ? baseOf(item.fullUrl) : undefined;
    walk(item.resource, (obj) => {
      const ref = obj['reference'];
      if (typeof ref !== 'string') return;
      const direct = byFullUrl.get(ref);
      if (direct) obj['reference'] = direct;
      else if (base && /^[A-Z][A-Za-z]+\/[^/]+$/.test(ref)) {
        const resolved = byFullUrl.get(base + ref);
        if (resolved) obj['reference'] = resolved;
      }
    });
  }

  return {
    entries: staged.map(({ file, index, resource }) => ({ file, index, resource })),
    problems,
    files: bundles.map((b) => b.file),
  };
}

/** Fields holding a clinical date or date-time that moves with the patient's record. */
const DATE_FIELDS = new Set([
  'effectiveDateTime',
  'effectiveInstant',
  'issued',
  'sent',
  'received',
  'start',
  'end',
  'recorded',
  'authoredOn',
  'occurrenceDateTime',
  'collectedDateTime',
  'receivedTime',
]);
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
const DAY = 86_400_000;

/**
 * Resources whose dates are not clinical: a caregiver's `period` is when her
 * access starts and ends, so an ended access stays ended however far the
 * record moves (and does not count as the patient's latest date).
 */
const NOT_CLINICAL = new Set(['RelatedPerson']);

function patientOf(resource: Resource): string | undefined {
  if (resource.resourceType === 'Patient') return `Patient/${resource.id}`;
  if (NOT_CLINICAL.has(resource.resourceType)) return undefined;
  let found: string | undefined;
  const r = resource as unknown as Json;
  for (const key of ['subject', 'patient']) {
    const ref = (r[key] as Reference | undefined)?.reference;
    if (ref?.startsWith('Patient/')) found ??= ref;
  }
  if (!found && resource.resourceType === 'Communication') {
    const refs = [r['sender'], ...((r['recipient'] as unknown[]) ?? [])].map(
      (x) => (x as Reference | undefined)?.reference,
    );
    found = refs.find((ref) => ref?.startsWith('Patient/'));
  }
  return found;
}

function shiftDate(value: string, days: number): string {
  const match = DATE_TIME.exec(value);
  if (!match) return value;
  const [, date = '', time = ''] = match;
  const shifted = new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
  return `${shifted}${time}`;
}

/**
 * Moves each patient's clinical dates forward by whole days so that their
 * latest one falls `daysAgo` days before `now` (never backwards). Birth dates
 * and staff resources are untouched. Returns the shift per patient.
 */
export function keepCurrent(entries: PreparedEntry[], now: Date, daysAgo = 2): Map<string, number> {
  const latest = new Map<string, number>();
  const owners = entries.map((e) => patientOf(e.resource));
  entries.forEach((e, i) => {
    const owner = owners[i];
    if (!owner || e.resource.resourceType === 'Patient') return;
    walk(e.resource, (obj) => {
      for (const [key, value] of Object.entries(obj)) {
        if (!DATE_FIELDS.has(key) || typeof value !== 'string' || !DATE_TIME.test(value)) continue;
        const time = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
        if (!Number.isNaN(time)) latest.set(owner, Math.max(latest.get(owner) ?? 0, time));
      }
    });
  });
  const shifts = new Map<string, number>();
  for (const [owner, time] of latest) {
    const days = Math.floor((now.getTime() - daysAgo * DAY - time) / DAY);
    if (days > 0) shifts.set(owner, days);
  }
  entries.forEach((e, i) => {
    const days = shifts.get(owners[i] ?? '');
    if (!days || e.resource.resourceType === 'Patient') return;
    walk(e.resource, (obj) => {
      for (const [key, value] of Object.entries(obj)) {
        if (DATE_FIELDS.has(key) && typeof value === 'string') obj[key] = shiftDate(value, days);
      }
    });
  });
  return shifts;
}

export function describeProblem(p: SeedProblem): string {
  return `${p.file}${p.entry ? `, ${p.entry}` : ''}: ${p.message}`;
}
