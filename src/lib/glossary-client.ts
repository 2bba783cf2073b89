/**
 * The glossary from the browser: one test's entry (/en/labs/2345-7.json) or
 * every test's plain name (/en/labs/names.json), published at build time
 * (src/pages/[lang]/labs). The service worker keeps what was opened. A
 * glossary that cannot be reached leaves the lab's own names.
 */
import type { GlossaryEntry } from './glossary.ts';

async function getJson<T>(url: string): Promise<T | undefined> {
  try {
    const response = await fetch(url);
    return response.ok ? ((await response.json()) as T | null) ?? undefined : undefined;
  } catch {
    return undefined;
  }
}

/** `base` is the language's glossary folder, e.g. "/en/labs/". */
export function glossaryEntry(base: string, code: string | undefined): Promise<GlossaryEntry | undefined> {
  return code ? getJson<GlossaryEntry>(`${base}${encodeURIComponent(code)}.json`) : Promise.resolve(undefined);
}

export async function glossaryNames(base: string): Promise<Record<string, string>> {
  return (await getJson<Record<string, string>>(`${base}names.json`)) ?? {};
}
