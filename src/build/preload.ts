/**
 * After the build (before the security step hashes the pages): tells each
 * page's browser, in its <head>, everything its scripts will import, so
 * that the whole chain is asked for at once instead of one level of
 * imports per round trip (page script → ui → store: three round trips in
 * series on a 400 ms link), and, on a page that reads the FHIR server,
 * opens the connection to it while the JavaScript is on its way.
 *
 *   <link rel="preconnect" href="<FHIR origin>" crossorigin>   pages whose scripts hold the FHIR client
 *   <link rel="modulepreload" href="/_astro/….js">            every file the page's module scripts import at start
 *
 * `crossorigin` (anonymous) matches the FHIR client's requests (CORS,
 * `credentials: 'omit'`), so the browser uses the connection it opened.
 * Files loaded with import() are not preloaded: the page needs them only
 * sometimes. The graph comes from the build's own chunk report (chunks.ts),
 * the same one the bench reads to tell pages with patient data.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChunkReport } from './chunks.ts';

/** The module that makes a page one with patient data (it reads the FHIR server). */
const FHIR_CLIENT = /(^|[\\/])src[\\/]lib[\\/]fhir[\\/]client\.ts$/;
const MODULE_SCRIPT = /<script type="module" src="([^"]+)"/g;

/** The files a set of entry files loads at start: themselves and their static imports, in order, once each. */
export function staticClosure(report: ChunkReport, entries: string[]): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of report[file]?.imports ?? []) visit(next);
  };
  for (const entry of entries) visit(entry);
  return [...seen];
}

/** The page with its preconnect and modulepreload links after </title>; unchanged when it has no module script. */
export function withPreloads(html: string, report: ChunkReport, fhirOrigin: string): string {
  const sources = [...html.matchAll(MODULE_SCRIPT)].map((m) => m[1] as string);
  const prefix = sources[0]?.match(/^(.*?)_astro\//)?.[1];
  if (prefix === undefined) return html;
  const files = staticClosure(
    report,
    sources.map((src) => src.slice(prefix.length)),
  );
  const readsFhir = files.some((file) => Object.keys(report[file]?.modules ?? {}).some((id) => FHIR_CLIENT.test(id)));
  const links = [
    ...(readsFhir ? [`<link rel="preconnect" href="${fhirOrigin}" crossorigin>`] : []),
    ...files.map((file) => `<link rel="modulepreload" href="${prefix}${file}">`),
  ].join('');
  return html.replace('</title>', `</title>${links}`);
}

/** Writes the links into every built page; returns a line for the build log. */
export function writePreloads(dist: string, report: ChunkReport, fhirBaseUrl: string): string {
  const origin = new URL(fhirBaseUrl).origin;
  let pages = 0;
  let data = 0;
  for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.html')) continue;
    const file = join(entry.parentPath, entry.name);
    const html = readFileSync(file, 'utf8');
    const next = withPreloads(html, report, origin);
    if (next === html) continue;
    pages++;
    if (next.includes('rel="preconnect"')) data++;
    writeFileSync(file, next);
  }
  return `preload: modulepreload links in ${pages} pages; preconnect to ${origin} in ${data} pages with patient data`;
}
