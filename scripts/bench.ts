/**
 * `npm run bench`: Clara's performance budgets, measured.
 *
 * Builds Clara for a local sandbox EHR, serves both, and visits every page
 * in both languages in real Chromium on a slow connection (bench/budgets.json,
 * "profile": 400 ms round trip, 400 kbps both ways, CPU 4× slower):
 *
 * - first visit (no service worker, empty cache) and repeat visit (the
 *   patient's own phone, the service worker installed): bytes from the
 *   network (brotli), requests, first contentful paint, patient data on screen;
 * - the JavaScript each page runs, by island;
 * - Lighthouse (mobile) performance, accessibility and best practices of
 *   every page shell;
 * - one results list of 500 observations, and the service worker's install.
 *
 * Prints one table, writes everything to reports/bench.json, and exits
 * non-zero when any budget is broken.
 *
 *   npm run bench                     everything (about 8 minutes)
 *   npm run bench -- --no-build       use the existing build in dist/ (built for the bench's sandbox port)
 *   npm run bench -- --no-lighthouse  skip Lighthouse (its budget is then reported as not measured, and fails)
 *   npm run bench -- --bytes-only     only what each page's files weigh, read from dist/ (seconds; no browser)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findOrInstallBrowser } from './lib/browser.ts';
import { runLighthouse, CATEGORIES, type LighthouseScores } from './lib/bench/lighthouse.ts';
import { manyObservations } from './lib/bench/many-results.ts';
import { benchPages, type BenchPage } from './lib/bench/pages.ts';
import { openBrowsing, signIn, throttle, visit, type Browsing, type Profile, type ServedLog, type Visit } from './lib/bench/visits.ts';
import { fileSizes, inlineScripts, pageWeight, scriptsByRoot, type PageWeight } from './lib/page-weight.ts';
import { buildSite } from './lib/run.ts';
import { sandboxBuildEnv, startStack } from './lib/stack.ts';

interface Budgets {
  profile: Profile;
  firstVisitBytes: number;
  javascriptBytesPerPage: number;
  repeatVisitBytes: number;
  lighthouse: number;
  resultsFirstVisitMs: number;
  resultsRepeatVisitMs: number;
}

const { values: flags } = parseArgs({ options: { 'no-build': { type: 'boolean' }, 'no-lighthouse': { type: 'boolean' }, 'bytes-only': { type: 'boolean' } } });
const budgets = JSON.parse(readFileSync('bench/budgets.json', 'utf8')) as Budgets;
const PORT = Number(process.env['CLARA_BENCH_PORT'] ?? 4430);
const SANDBOX_PORT = Number(process.env['CLARA_BENCH_SANDBOX_PORT'] ?? 4432);
/** The sample patient whose results and messages are measured (sandbox/data). */
const PATIENT = 'Margaret Olsen';
const DIST = 'dist';
const started = Date.now();
const log = (line: string) => console.log(line);

if (!flags['no-build']) {
  log('> Building Clara for the benchmark (astro build)');
  if (buildSite(sandboxBuildEnv(SANDBOX_PORT, PORT)) !== 0) process.exit(1);
}

const pages = benchPages();

if (flags['bytes-only']) {
  // A quick look while working on size: each page's HTML, CSS and JS (with what its islands import), from dist/.
  for (const page of pages) {
    const weight = pageWeight(DIST, page.file);
    const html = readFileSync(`${DIST}/${page.file}`, 'utf8');
    const groups = scriptsByRoot(DIST, html).map((g) => ({ name: g.name, bytes: g.files.reduce((sum, f) => sum + fileSizes(DIST, f).brotli, 0) }));
    const inline = inlineScripts(html).brotli;
    const js = [{ name: 'inline', bytes: inline }, ...groups].map((g) => `${g.name} ${kb(g.bytes)}`).join(' + ');
    log(`${page.name.padEnd(14)} total ${kb(weight.total.brotli).padStart(5)} KB  html ${kb(weight.html.brotli).padStart(4)}  css ${kb(weight.css.brotli)}  js ${kb(weight.js.brotli + inline).padStart(4)} (${js})`);
  }
  process.exit(0);
}
const served: ServedLog = [];
const stack = await startStack({ port: PORT, sandboxPort: SANDBOX_PORT, log: () => undefined, onRequest: (r) => served.push({ ...r, at: Date.now() }) });
const portal = stack.portalUrl;
const sandboxOrigin = stack.sandboxUrl.replace(/\/$/, '');
const executablePath = await findOrInstallBrowser(log);
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });

interface PageResult {
  page: BenchPage;
  url: string;
  weight: PageWeight;
  javascript: { name: string; bytes: number }[];
  first?: Visit;
  repeat?: Visit;
  lighthouse?: LighthouseScores;
  over: string[];
}
const results: PageResult[] = [];
let manyResults: { observations: number; rows: number; renderMs: number } | undefined;

try {
  // ---- First visits: no service worker, nothing cached, slow profile. ----
  log(`> First visits (no service worker, empty cache; ${describe(budgets.profile)})`);
  const signedIn = await openBrowsing(browser, { serviceWorkers: 'block' });
  const signedOut = await openBrowsing(browser, { serviceWorkers: 'block' });
  await signIn(signedIn.page, portal, PATIENT);
  const ids = await sampleIds(signedIn);
  for (const page of pages) {
    const url = urlOf(page, ids);
    const b = page.signedIn ? signedIn : signedOut;
    await b.cdp.send('Network.clearBrowserCache');
    // As just after signing in: the tab keeps no copy of what the last page fetched.
    if (page.signedIn) await forgetCopies(b);
    await b.cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await throttle(b.cdp, budgets.profile);
    const first = await visit(b, url, { served, sandboxOrigin, ...(page.signedIn && page.data ? { data: page.data } : {}) });
    await throttle(b.cdp, undefined);
    const weight = pageWeight(DIST, page.file);
    const html = readFileSync(`${DIST}/${page.file}`, 'utf8');
    const javascript = [
      { name: 'inline', bytes: inlineScripts(html).brotli },
      ...scriptsByRoot(DIST, html).map((g) => ({ name: g.name, bytes: g.files.filter((f) => first.shell.paths.includes(f)).reduce((sum, f) => sum + fileSizes(DIST, f).brotli, 0) })),
    ].filter((g) => g.bytes > 0);
    // Every script the page ran: its files as they arrived, and what is written into the HTML.
    first.shell.jsBytes += javascript.find((g) => g.name === 'inline')?.bytes ?? 0;
    results.push({ page, url, weight, javascript, first, over: [] });
    log(`  ${page.name}: ${kb(first.shell.bodyBytes)} KB in ${first.shell.requests} requests, JS ${kb(first.shell.jsBytes)} KB${first.dataMs !== undefined ? `, data at ${first.dataMs} ms` : ''}`);
  }
  await signedIn.context.close();
  await signedOut.context.close();

  // ---- Repeat visits: the patient's own phone, the service worker in charge, slow profile. ----
  log('> Repeat visits (own phone, service worker installed)');
  const own = await openBrowsing(browser, { serviceWorkers: 'allow' });
  const ownOut = await openBrowsing(browser, { serviceWorkers: 'allow' });
  await signIn(own.page, portal, PATIENT);
  await own.page.getByRole('button', { name: 'It is mine: keep a copy' }).click();
  await controlled(own);
  await ownOut.page.goto(portal);
  await controlled(ownOut);
  const ownIds = await sampleIds(own);
  for (const r of results) {
    const b = r.page.signedIn ? own : ownOut;
    const url = urlOf(r.page, ownIds);
    // Seen once already (the saved copy exists), then opened again.
    await visit(b, url, { served, sandboxOrigin, ...(r.page.signedIn && r.page.data ? { data: r.page.data } : {}) });
    await throttle(b.cdp, budgets.profile);
    r.repeat = await visit(b, url, { served, sandboxOrigin, ...(r.page.signedIn && r.page.data ? { data: r.page.data } : {}) });
    await throttle(b.cdp, undefined);
    log(`  ${r.page.name}: ${r.repeat.shellBeforeData.wireBytes} bytes in ${r.repeat.shellBeforeData.requests} requests before data${r.repeat.dataMs !== undefined ? `, data at ${r.repeat.dataMs} ms` : ''}`);
  }
  await own.context.close();
  await ownOut.context.close();

  // ---- 500 observations at once, on a slow phone's CPU. ----
  log('> A results list of 500 observations (CPU 4× slower)');
  manyResults = await renderMany(500);
  log(`  ${manyResults.rows} rows on screen ${manyResults.renderMs} ms after the page started`);
} finally {
  await browser.close();
}

// ---- Lighthouse over every page shell. ----
if (!flags['no-lighthouse']) {
  log('> Lighthouse (mobile) over every page shell');
  const scores = await runLighthouse(executablePath, results.map((r) => `${portal.replace(/\/$/, '')}${r.page.shellPath}`), log);
  for (const r of results) {
    const s = scores.get(`${portal.replace(/\/$/, '')}${r.page.shellPath}`);
    if (s) r.lighthouse = s;
  }
}
await stack.close();

// ---- The service worker's install: everything precached, once, in the background. ----
const sw = readFileSync(`${DIST}/sw.js`, 'utf8');
const precached = [...sw.matchAll(/"url":"([^"]+)"/g)].map((m) => `/${m[1] ?? ''}`);
const install = { files: precached.length + 1, bytes: precached.reduce((sum, p) => sum + fileSizes(DIST, p).brotli, fileSizes(DIST, '/sw.js').brotli) };

// ---- Budgets. ----
for (const r of results) {
  const { first, repeat, lighthouse, page } = r;
  if (first && first.shell.bodyBytes > budgets.firstVisitBytes) r.over.push(`first visit ${kb(first.shell.bodyBytes)} KB > ${kb(budgets.firstVisitBytes)} KB`);
  if (first && first.shell.jsBytes > budgets.javascriptBytesPerPage) r.over.push(`JS ${kb(first.shell.jsBytes)} KB > ${kb(budgets.javascriptBytesPerPage)} KB`);
  if (repeat && repeat.shellBeforeData.wireBytes > budgets.repeatVisitBytes) r.over.push(`repeat ${kb(repeat.shellBeforeData.wireBytes)} KB > ${kb(budgets.repeatVisitBytes)} KB`);
  if (!lighthouse) r.over.push('Lighthouse not measured');
  else for (const c of CATEGORIES) if (lighthouse.scores[c] < budgets.lighthouse) r.over.push(`Lighthouse ${c} ${lighthouse.scores[c]} < ${budgets.lighthouse}`);
  if (page.route === 'results') {
    if (first?.dataMs === undefined || first.dataMs > budgets.resultsFirstVisitMs) r.over.push(`results at ${first?.dataMs ?? '—'} ms > ${budgets.resultsFirstVisitMs} ms (first visit)`);
    if (repeat?.dataMs === undefined || repeat.dataMs > budgets.resultsRepeatVisitMs) r.over.push(`results at ${repeat?.dataMs ?? '—'} ms > ${budgets.resultsRepeatVisitMs} ms (repeat visit)`);
  }
}

// ---- The table. ----
const ms = (n: number | undefined) => (n === undefined ? '—' : String(n));
const header = ['page', 'first visit KB (req)', 'repeat KB (req)', 'JS KB by island', 'first paint ms first / repeat', 'patient data ms first / repeat', 'FHIR KB (req)', 'Lighthouse perf / a11y / bp', 'budgets'];
const rows = results.map((r) => [
  r.page.name,
  r.first ? `${kb(r.first.shell.bodyBytes)} (${r.first.shell.requests})` : '—',
  r.repeat ? `${kb(r.repeat.shellBeforeData.wireBytes)} (${r.repeat.shellBeforeData.requests})` : '—',
  r.javascript.map((g) => `${g.name} ${kb(g.bytes)}`).join(' + ') || '0',
  `${ms(r.first?.fcpMs)} / ${ms(r.repeat?.fcpMs)}`,
  r.page.data && r.page.signedIn ? `${ms(r.first?.dataMs)} / ${ms(r.repeat?.dataMs)}` : '',
  r.first && r.first.data.requests ? `${kb(r.first.data.bytes)} (${r.first.data.requests})` : '',
  r.lighthouse ? CATEGORIES.map((c) => r.lighthouse?.scores[c]).join(' / ') : '—',
  r.over.length ? `OVER: ${r.over.join('; ')}` : 'ok',
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
log(`\nClara on one bar of signal (${describe(budgets.profile)}). Bytes are brotli bodies for a first visit, bytes on the wire before the patient's data for a repeat visit.`);
log(`Budgets: first visit ≤ ${kb(budgets.firstVisitBytes)} KB, JS ≤ ${kb(budgets.javascriptBytesPerPage)} KB, repeat ≤ ${kb(budgets.repeatVisitBytes)} KB, Lighthouse ${budgets.lighthouse}, results ≤ ${budgets.resultsFirstVisitMs} ms first / ≤ ${budgets.resultsRepeatVisitMs} ms repeat.\n`);
log(line(header));
log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows) log(line(row));
log(`\nService worker install (once, in the background, after the first page): ${install.files} files, ${kb(install.bytes)} KB.`);
if (manyResults) log(`Results list of ${manyResults.observations} observations: ${manyResults.rows} rows on screen in ${manyResults.renderMs} ms (CPU 4× slower, fast network).`);
const failing = results.filter((r) => r.over.length);
const lighthouseFailures = [...new Set(results.flatMap((r) => r.lighthouse?.failing ?? []))];
if (lighthouseFailures.length) log(`Lighthouse audits that cost points: ${lighthouseFailures.join('; ')}`);

mkdirSync('reports', { recursive: true });
writeFileSync(
  'reports/bench.json',
  JSON.stringify(
    {
      date: new Date().toISOString(),
      budgets,
      install,
      manyResults,
      pages: results.map((r) => ({ name: r.page.name, url: r.url, weight: r.weight, javascript: r.javascript, first: r.first, repeat: r.repeat, lighthouse: r.lighthouse, over: r.over })),
    },
    null,
    2,
  ),
);
log(`\nWrote reports/bench.json in ${Math.round((Date.now() - started) / 1000)} s. ${failing.length ? `${failing.length} page(s) over budget.` : 'Every page is within every budget.'}`);
process.exit(failing.length ? 1 : 0);

// ---- Helpers. ----

function kb(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}

function describe(p: Profile): string {
  return `${p.latencyMs} ms round trip, ${p.kbps} kbps both ways, CPU ${p.cpuSlowdown}× slower`;
}

function urlOf(page: BenchPage, ids: { result: string; thread: string }): string {
  const base = `${portal.replace(/\/$/, '')}${page.shellPath === '/?choose' ? '/?choose' : page.shellPath}`;
  return page.needs ? `${base}?id=${encodeURIComponent(ids[page.needs])}` : base;
}

/** One result and one conversation of the sample patient, for the pages that show one. */
async function sampleIds(b: Browsing): Promise<{ result: string; thread: string }> {
  await b.page.goto(`${portal}en/results/`);
  const result = await b.page.locator('.result-row').first().getAttribute('data-result-id');
  await b.page.goto(`${portal}en/messages/`);
  const thread = await b.page.locator('.thread-row').first().getAttribute('data-thread-id');
  if (!result || !thread) throw new Error(`${PATIENT} has no result or no conversation in the sandbox: the benchmark needs both.`);
  return { result, thread };
}

/** Removes what this tab kept of earlier pages (everything but the sign-in itself). */
async function forgetCopies(b: Browsing): Promise<void> {
  await b.page.evaluate(() => {
    for (const key of Object.keys(sessionStorage)) if (key !== 'clara.session') sessionStorage.removeItem(key);
  });
}

/** Waits until the service worker is installed and controls the page. */
async function controlled(b: Browsing): Promise<void> {
  await b.page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  if (!(await b.page.evaluate(() => !!navigator.serviceWorker.controller))) await b.page.reload();
  await b.page.waitForFunction(() => !!navigator.serviceWorker.controller);
}

/** Opens the results list with the FHIR server answering `count` observations at once. */
async function renderMany(count: number): Promise<{ observations: number; rows: number; renderMs: number }> {
  const b = await openBrowsing(browser, { serviceWorkers: 'block' });
  try {
    await signIn(b.page, portal, PATIENT);
    const patientId = await b.page.evaluate(() => (JSON.parse(sessionStorage.getItem('clara.session') ?? '{}') as { patientId?: string }).patientId ?? '');
    const body = JSON.stringify(manyObservations(patientId, count));
    await b.page.route('**/Observation?**', (route) => route.fulfill({ status: 200, contentType: 'application/fhir+json', body }));
    await throttle(b.cdp, { latencyMs: 0, kbps: 100_000, cpuSlowdown: budgets.profile.cpuSlowdown });
    const v = await visit(b, `${portal}en/results/`, { served, sandboxOrigin, data: '[data-state="results"] .result-row' });
    const rows = await b.page.locator('.result-row').count();
    return { observations: count, rows, renderMs: v.dataMs ?? -1 };
  } finally {
    await b.context.close();
  }
}
