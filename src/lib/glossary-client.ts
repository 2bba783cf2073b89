/**
 * The glossary from the browser: the language's whole file
 * (/en/labs/glossary.json, published at build time by src/pages/[lang]/labs
 * and precached by the service worker), fetched once per page, so that no
 * request says which test the patient opened. A glossary that cannot be
 * reached leaves the lab's own names.
 */
import type { GlossaryEntry } from './glossary.ts';
import { takeEarly } from './fhir/client.ts';

const files = new Map<string, Promise<Record<string, GlossaryEntry>>>();

/** `base` is the language's glossary folder, e.g. "/en/labs/". */
export function glossary(base: string): Promise<Record<string, GlossaryEntry>> {
  let file = files.get(base);
  if (!file) {
    // The result page's <head> may have asked for it already (fhir/early.ts).
    file = (takeEarly(`${base}glossary.json`, '') ?? fetch(`${base}glossary.json`))
      .then((response) => (response.ok ? (response.json() as Promise<Record<string, GlossaryEntry> | null>) : null))
      .then((table) => (table && typeof table === 'object' ? table : {}))
      .catch(() => ({}));
    // A failure is not remembered: the next ask tries again.
    void file.then((table) => Object.keys(table).length || files.delete(base));
    files.set(base, file);
  }
  return file;
}

export async function glossaryEntry(base: string, code: string | undefined): Promise<GlossaryEntry | undefined> {
  return code ? (await glossary(base))[code] : undefined;
}

export async function glossaryNames(base: string): Promise<Record<string, string>> {
  return Object.fromEntries(Object.entries(await glossary(base)).map(([code, entry]) => [code, entry.name]));
}
