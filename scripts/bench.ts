/**
 * `npm run bench`: Clara's performance budgets, measured.
 *
 * Builds Clara for a local sandbox EHR, serves both behind the bench's own
 * slow link (scripts/lib/bench/link.ts: a TCP proxy that charges the round
 * trip, the bandwidth, new connections and CORS preflights as one bar of
 * signal does; bench/budgets.json "profile": 400 ms round trip, 400 kbps both
 * ways, CPU 4× slower), and visits every page in both languages in real
 * Chromium:
 *
 * - first visit over the link (a new browser context: no service worker,
 *   empty cache, no connection yet): bytes from the network (brotli),
 *   requests, the JavaScript by island, first contentful paint, and for the
 *   pages with patient data the time to data, the round trips in series
 *   before it, the bytes before it, the floor they set and time ÷ floor;
 * - the same data pages with DevTools throttling instead of the link, for
 *   comparison (DevTools charges neither connections nor preflights);
 * - repeat visit over the link (the patient's own phone, the service worker
 *   installed, no lock set so no copy kept: the data comes from the clinic,
 *   the harder case): bytes before data, data on screen;
 * - Lighthouse (mobile) performance, accessibility and best practices of
 *   every page shell;
 * - a patient with 5,000 observations (ten years of labs): time to the
 *   newest results over the link, JS heap, main-thread time, FHIR requests
 *   and bytes, and older results on demand; the service worker's install.
 *
 * Prints the tables, writes everything to reports/bench.json, ends with one
 * summary line (`bench: first_visit_kb_max=… …`) and exits non-zero when any
 * budget is broken.
 *
 *   npm run bench                     everything (about 9 minutes)
 *   npm run bench -- --no-build       use the existing build in dist/ (built by the bench: it points at the link's sandbox port)
 *   npm run bench -- --no-lighthouse  skip Lighthouse (its budget is then reported as not measured, and fails)
 *   npm run bench -- --bytes-only     only the byte budgets, read from dist/ (seconds; no browser); non-zero when one is broken (CI)
 *   npm run bench -- --pages results  only the pages whose name contains one of these (comma-separated: "en results,thread")
 *   npm run bench -- --no-devtools    skip the DevTools-throttled comparison
 *   npm run bench -- --no-many        skip the patient with 5,000 observations
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, findOrInstallBrowser } from './lib/browser.ts';
import {
  checkBytes,
  checkTimings,
  readBudgets,
  summaryLine,
  type Breach,
  type BytesRow,
  type PageKind,
  type TimingRow,
} from './lib/bench/budgets.ts';
import { runLighthouse, CATEGORIES, type LighthouseScores } from './lib/bench/lighthouse.ts';
import { LinkThread, now, type LinkLog, type LinkProfile } from './lib/bench/link.ts';
import { MANY_RESULTS_PATIENT, manyResultsBundle } from './lib/bench/many-results.ts';
import { benchPages, type BenchPage } from './lib/bench/pages.ts';
import { emulate, openBrowsing, signIn, visit, type Browsing, type ServedLog, type Visit } from './lib/bench/visits.ts';
import {
  bytesBefore,
  criticalPath,
  describePath,
  floorMs,
  unavoidableRoundTrips,
  usedFhir,
  type Step,
} from './lib/bench/waterfall.ts';
import {
  fileSizes,
  inlineScripts,
  pageWeight,
  scriptsByRoot,
  showsPatientData,
  type PageWeight,
} from './lib/page-weight.ts';
import { buildSite } from './lib/run.ts';
import { sandboxBuildEnv, startStack } from './lib/stack.ts';

const { values: flags } = parseArgs({
  options: {
    'no-build': { type: 'boolean' },
    'no-lighthouse': { type: 'boolean' },
    'bytes-only': { type: 'boolean' },
    'no-devtools': { type: 'boolean' },
    'no-many': { type: 'boolean' },
    pages: { type: 'string' },
  },
});
const budgets = readBudgets();
const PORT = Number(process.env['CLARA_BENCH_PORT'] ?? 4430);
const SANDBOX_PORT = Number(process.env['CLARA_BENCH_SANDBOX_PORT'] ?? 4432);
/** The link's listeners: the browser reaches the portal and the sandbox only through these. */
const LINK_PORT = Number(process.env['CLARA_BENCH_LINK_PORT'] ?? 4440);
const LINK_SANDBOX_PORT = Number(process.env['CLARA_BENCH_LINK_SANDBOX_PORT'] ?? 4442);
/** The sample patient whose results and messages are measured (sandbox/data). */
const PATIENT = 'Margaret Olsen';
const MANY_OBSERVATIONS = 5000;
const DIST = 'dist';
const started = Date.now();
/** How long each part took (s), for the report: the bench should stay well under ten minutes on a quiet machine. */
const phases: [name: string, seconds: number][] = [];
let phaseStart = Date.now();
const phase = (name: string) => {
  phases.push([name, Math.round((Date.now() - phaseStart) / 1000)]);
  phaseStart = Date.now();
};
const loadAtStart = loadavg()[0] ?? 0;
const log = (line: string) => console.log(line);
const profile = budgets.profile;
const linkProfile: LinkProfile = { rttMs: profile.latencyMs, kbps: profile.kbps };

if (!flags['no-build']) {
  log('> Building Clara for the benchmark (astro build)');
  if (buildSite(sandboxBuildEnv(LINK_SANDBOX_PORT, LINK_PORT)) !== 0) process.exit(1);
  phase('build');
}

const wanted = flags.pages
  ?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const pages = benchPages().filter((p) => !wanted || wanted.some((w) => p.name.includes(w)));
if (!pages.length) {
  console.error(
    `No page matches --pages ${flags.pages ?? ''}; the names are: ${benchPages()
      .map((p) => p.name)
      .join(', ')}`,
  );
  process.exit(2);
}

/** What the build says of each page: its weight, its JavaScript by island, and whether it shows patient data. */
interface Built {
  weight: PageWeight;
  kind: PageKind;
  javascript: { name: string; bytes: number; files: string[] }[];
}
const built = new Map<BenchPage, Built>(
  pages.map((page) => {
    const html = readFileSync(`${DIST}/${page.file}`, 'utf8');
    const javascript = [
      { name: 'inline', bytes: inlineScripts(html).brotli, files: [] as string[] },
      ...scriptsByRoot(DIST, html).map((g) => ({
        name: g.name,
        files: g.files,
        bytes: g.files.reduce((sum, f) => sum + fileSizes(DIST, f).brotli, 0),
      })),
    ];
    return [
      page,
      {
        weight: pageWeight(DIST, page.file),
        kind: showsPatientData(DIST, html) ? 'withPatientData' : 'withoutPatientData',
        javascript,
      },
    ];
  }),
);
const kindLabel = (kind: PageKind) => (kind === 'withPatientData' ? 'data' : 'other');

if (flags['bytes-only']) {
  // Deterministic: each page's HTML, CSS and JS (with what its islands import), from dist/.
  const rows: BytesRow[] = [];
  for (const page of pages) {
    const b = built.get(page) as Built;
    const js = b.javascript.reduce((sum, g) => sum + g.bytes, 0);
    rows.push({ page: page.name, kind: b.kind, firstVisitBytes: b.weight.total.brotli, javascriptBytes: js });
    const parts = b.javascript
      .filter((g) => g.bytes > 0)
      .map((g) => `${g.name} ${kb(g.bytes)}`)
      .join(' + ');
    log(
      `${page.name.padEnd(14)} ${kindLabel(b.kind).padEnd(5)} total ${kb(b.weight.total.brotli).padStart(5)} KB  html ${kb(b.weight.html.brotli).padStart(4)}  css ${kb(b.weight.css.brotli)}  js ${kb(js).padStart(4)} (${parts})`,
    );
  }
  const breaches = checkBytes(rows, budgets);
  log(
    `\nBudgets: first visit ≤ ${kb(budgets.firstVisitBytes)} KB; JavaScript ≤ ${kb(budgets.javascriptBytes.withPatientData)} KB on pages with patient data ("data": they mount an island that reads the FHIR server), ≤ ${kb(budgets.javascriptBytes.withoutPatientData)} KB on the others.`,
  );
  for (const b of breaches) log(`OVER: ${b.page}: ${b.message}`);
  log(breaches.length ? `${breaches.length} byte budget(s) broken.` : 'Every page is within its byte budgets.');
  log(summaryLine(rows));
  process.exit(breaches.length ? 1 : 0);
}

// Stopped from outside: exit, so that the sandbox's process and the browser are closed with the bench (their 'exit' handlers).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(1));
const served: ServedLog = [];
const portalOrigin = `http://localhost:${LINK_PORT}`;
const fhirOrigin = `http://localhost:${LINK_SANDBOX_PORT}`;
const portal = `${portalOrigin}/`;
if (!readFileSync(`${DIST}/en/index.html`, 'utf8').includes(fhirOrigin)) {
  console.error(
    `dist/ was built for another FHIR server than the bench's link (${fhirOrigin}): run the bench without --no-build.`,
  );
  process.exit(2);
}
const stack = await startStack({
  port: PORT,
  sandboxPort: SANDBOX_PORT,
  log: () => undefined,
  onRequest: (r) => served.push({ ...r, at: Date.now() }),
  publicOrigins: { portal: portalOrigin, sandbox: fhirOrigin },
  sandboxProcess: true,
});
// In a thread of its own, so that its timers keep time while this thread serves files and drives the browser.
const link = new LinkThread();
let browser: Browser | undefined;
const many = flags['no-many'] ? undefined : mkdtempSync(join(tmpdir(), 'clara-bench-many-'));

/** A first visit's reading of the link: what the page waited for before its data was on screen. */
interface Waterfall {
  /** The navigation's start on the link's clock (epoch ms). */
  origin: number;
  path: Step[];
  bytesBeforeData: number;
  bytesBy: Record<string, number>;
  fhir: boolean;
  roundTrips: number;
  floorMs: number;
  /** The servers' own time on the critical path (the sandbox's searches). */
  serverMs: number;
  /** The whole waterfall as the link saw it, ms from the navigation start (reports/bench.json). */
  connections: { origin: string; id: number; opened: number; ready: number }[];
  requests: {
    origin: string;
    connection: number;
    request: string;
    sent: number;
    firstByte?: number;
    lastByte?: number;
    bytes: number;
    serverMs?: number;
  }[];
}

interface PageResult {
  page: BenchPage;
  url: string;
  built: Built;
  /** The JavaScript the first visit ran, by island (files as they arrived, and the script in the HTML). */
  javascript: { name: string; bytes: number }[];
  first?: Visit;
  waterfall?: Waterfall;
  devtools?: Visit;
  repeat?: Visit;
  lighthouse?: LighthouseScores;
}
const results: PageResult[] = [];

interface ManyResults {
  observations: number;
  dataMs?: number;
  /** What the page showed instead of the results, when they never showed. */
  problem?: string;
  waterfall?: Waterfall;
  ratio?: number;
  rows: number;
  newestFirst: boolean;
  fhirRequests: number;
  preflights: number;
  fhirBytes: number;
  /** The sandbox's own time for its slowest answer (a search over 5,000 observations). */
  slowestServerMs: number;
  jsHeapUsedBytes?: number;
  domNodes?: number;
  mainThreadMs?: number;
  longTasks: { count: number; totalMs: number; maxMs: number; beforeDataMs: number };
  more?: { ms: number; rows: number; fhirRequests: number; fhirBytes: number };
}
let manyResults: ManyResults | undefined;
let manyError: string | undefined;

try {
  await link.listen({ name: 'portal', port: LINK_PORT, upstreamPort: PORT });
  await link.listen({ name: 'fhir', port: LINK_SANDBOX_PORT, upstreamPort: SANDBOX_PORT });
  const executablePath = await findOrInstallBrowser(log);
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });

  // ---- Signed in once (the link passing bytes straight through while setting up). ----
  const setup = await openBrowsing(browser, { serviceWorkers: 'block' });
  await signIn(setup.page, portal, PATIENT);
  const session = await sessionOf(setup);
  const ids = await sampleIds(setup);
  await setup.context.close();

  // ---- First visits: a new context each (no service worker, nothing cached, no connection), over the link. ----
  log(
    `> First visits over the link (${describe()}; new connections, preflights and bytes charged)${flags['no-devtools'] ? '' : ', and the data pages again with DevTools throttling'}`,
  );
  for (const page of pages) {
    const url = urlOf(page, ids);
    const data = page.signedIn && page.data ? page.data : undefined;
    const first = await firstVisit(browser, url, page.signedIn ? session : undefined, data, 'link');
    const b = built.get(page) as Built;
    const javascript = b.javascript
      .map((g) => ({
        name: g.name,
        bytes:
          g.name === 'inline'
            ? g.bytes
            : g.files
                .filter((f) => first.visit.shell.paths.includes(f))
                .reduce((sum, f) => sum + fileSizes(DIST, f).brotli, 0),
      }))
      .filter((g) => g.bytes > 0);
    // Every script the page ran: its files as they arrived, and what is written into the HTML.
    first.visit.shell.jsBytes += javascript.find((g) => g.name === 'inline')?.bytes ?? 0;
    const result: PageResult = {
      page,
      url,
      built: b,
      javascript,
      first: first.visit,
      ...(first.waterfall ? { waterfall: first.waterfall } : {}),
    };
    if (data && !flags['no-devtools'])
      result.devtools = (await firstVisit(browser, url, session, data, 'devtools')).visit;
    results.push(result);
    const w = result.waterfall;
    log(
      `  ${page.name}: ${kb(first.visit.shell.bodyBytes)} KB in ${first.visit.shell.requests} requests, JS ${kb(first.visit.shell.jsBytes)} KB` +
        (data
          ? first.visit.dataMs !== undefined
            ? `, data at ${first.visit.dataMs} ms`
            : `, data never showed (problem: ${first.visit.problem ?? '—'})`
          : '') +
        (w
          ? ` (floor ${Math.round(w.floorMs)} ms, ×${ratio(first.visit.dataMs, w)?.toFixed(2)}; ${w.path.length} round trips in series)`
          : '') +
        (result.devtools ? `; DevTools: ${result.devtools.dataMs ?? 'never'} ms` : ''),
    );
  }

  phase('first visits');

  // ---- Repeat visits: the patient's own phone, the service worker in charge, over the link. ----
  // "Keep a copy" without setting a lock keeps nothing (issue 11): the data comes from the clinic, as on a phone whose
  // patient has not set a lock yet. With a lock the kept copy shows at once (a few hundred ms); this is the harder case.
  log(
    '> Repeat visits over the link (own phone, no lock set so no copy kept; service worker installed, opened again after its connections closed)',
  );
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
    const data = r.page.signedIn && r.page.data ? { data: r.page.data } : {};
    // Seen once already (the saved copy exists), then opened again.
    await visit(b, url, { served, sandboxOrigin: fhirOrigin, ...data });
    await emulate(b.cdp, { cpuSlowdown: profile.cpuSlowdown });
    await link.dropConnections();
    await link.setProfile(linkProfile);
    try {
      r.repeat = await visit(b, url, { served, sandboxOrigin: fhirOrigin, ...data });
    } finally {
      await link.setProfile(undefined);
      await emulate(b.cdp, { cpuSlowdown: 1 });
    }
    log(
      `  ${r.page.name}: ${r.repeat.shellBeforeData.wireBytes} bytes in ${r.repeat.shellBeforeData.requests} requests before data${r.repeat.dataMs !== undefined ? `, data at ${r.repeat.dataMs} ms` : ''}`,
    );
  }
  await own.context.close();
  await ownOut.context.close();

  phase('repeat visits');

  // ---- Ten years of labs: a patient with 5,000 observations, in a sandbox of its own. ----
  if (many) {
    log(
      `> A patient with ${MANY_OBSERVATIONS.toLocaleString('en')} observations over ten years (results list, first visit over the link)`,
    );
    try {
      manyResults = await measureMany(browser, many);
    } catch (error) {
      manyError = (error as Error).message.split('\n')[0] ?? 'failed';
      log(`  not measured: ${manyError}`);
    }
    const m = manyResults;
    if (m)
      log(
        `  newest results ${m.dataMs !== undefined ? `at ${m.dataMs} ms` : `never showed (problem: ${m.problem ?? '—'})`} (floor ${m.waterfall ? Math.round(m.waterfall.floorMs) : '—'} ms, ×${m.ratio?.toFixed(2) ?? '—'}); ${m.rows} rows; ${m.fhirRequests} FHIR requests, ${kb(m.fhirBytes)} KB`,
      );
  }
  if (many) phase('5,000 observations');
} finally {
  await link.setProfile(undefined);
  await browser?.close();
}

// ---- Lighthouse over every page shell (through the link, passing bytes straight through: Lighthouse throttles itself). ----
if (!flags['no-lighthouse']) {
  log('> Lighthouse (mobile) over every page shell');
  try {
    const executablePath = await findOrInstallBrowser(log);
    const scores = await runLighthouse(
      executablePath,
      results.map((r) => `${portalOrigin}${r.page.shellPath}`),
      log,
    );
    for (const r of results) {
      const s = scores.get(`${portalOrigin}${r.page.shellPath}`);
      if (s) r.lighthouse = s;
    }
  } catch (error) {
    log(`  Lighthouse failed: ${(error as Error).message}`);
  }
}
if (!flags['no-lighthouse']) phase('Lighthouse');
await link.close();
await stack.close();
if (many) rmSync(many, { recursive: true, force: true });

// ---- The service worker's install: everything precached, once, in the background. ----
const sw = readFileSync(`${DIST}/sw.js`, 'utf8');
const precached = [...sw.matchAll(/"url":"([^"]+)"/g)].map((m) => `/${m[1] ?? ''}`);
const install = {
  files: precached.length + 1,
  bytes: precached.reduce((sum, p) => sum + fileSizes(DIST, p).brotli, fileSizes(DIST, '/sw.js').brotli),
};

// ---- Budgets. ----
/**
 * A first visit's bytes as the budget means them (and as --bytes-only counts
 * them from the build): the page, its styles and its start-up JavaScript, as
 * they arrived. What else the visit fetched (the glossary, code loaded after
 * the data such as the trend or the time limit) is reported beside it, not
 * counted against the page.
 */
function startUp(r: PageResult): { bytes: number; javascript: number; other: number } | undefined {
  if (!r.first) return undefined;
  const assets = new Set(r.built.weight.files.map((f) => f.path));
  const page = new URL(r.url).pathname;
  let bytes = 0;
  let javascript = 0;
  for (const f of r.first.shell.files) {
    const path = f.path.split('?')[0] ?? f.path;
    if (path !== page && !assets.has(path)) continue;
    bytes += f.bodyBytes;
    if (/\.m?js$/.test(path)) javascript += f.bodyBytes;
  }
  // What is written into the HTML runs too (counted in the page's bytes already).
  javascript += r.javascript.find((g) => g.name === 'inline')?.bytes ?? 0;
  return { bytes, javascript, other: r.first.shell.bodyBytes - bytes };
}
const bytesRows: BytesRow[] = results.map((r) => {
  const counted = startUp(r);
  return {
    page: r.page.name,
    kind: r.built.kind,
    firstVisitBytes: counted?.bytes ?? Number.POSITIVE_INFINITY,
    javascriptBytes: counted?.javascript ?? Number.POSITIVE_INFINITY,
  };
});
const isData = (r: PageResult) => !!(r.page.signedIn && r.page.data);
const timingRows: TimingRow[] = results.map((r) => {
  const floorRatio = ratio(r.first?.dataMs, r.waterfall);
  return {
    page: r.page.name,
    data: isData(r),
    ...(r.first?.dataMs !== undefined ? { dataMs: r.first.dataMs } : {}),
    ...(r.first?.problem ? { problem: r.first.problem } : {}),
    ...(floorRatio !== undefined ? { floorRatio } : {}),
    ...(r.repeat
      ? {
          repeat: {
            bytes: r.repeat.shellBeforeData.wireBytes,
            ...(r.repeat.dataMs !== undefined ? { dataMs: r.repeat.dataMs } : {}),
            ...(r.repeat.problem ? { problem: r.repeat.problem } : {}),
          },
        }
      : {}),
    ...(r.lighthouse ? { lighthouse: r.lighthouse.scores } : {}),
  };
});
if (manyResults) {
  timingRows.push({
    page: `en results, ${MANY_OBSERVATIONS} observations`,
    data: true,
    ...(manyResults.dataMs !== undefined ? { dataMs: manyResults.dataMs } : {}),
    ...(manyResults.ratio !== undefined ? { floorRatio: manyResults.ratio } : {}),
    ...(manyResults.problem ? { problem: manyResults.problem } : {}),
    lighthouse: null,
  });
}
const breaches: Breach[] = [
  ...checkBytes(bytesRows, budgets),
  ...checkTimings(timingRows, budgets, { lighthouse: !flags['no-lighthouse'] }),
];
if (manyError)
  breaches.push({ page: `en results, ${MANY_OBSERVATIONS} observations`, message: `not measured: ${manyError}` });
if (flags['no-lighthouse']) breaches.push({ page: 'every page', message: 'Lighthouse not measured (--no-lighthouse)' });
const over = (name: string) => breaches.filter((b) => b.page === name).map((b) => b.message);

// ---- The tables. ----
const ms = (n: number | undefined) => (n === undefined ? '—' : String(Math.round(n)));
log(
  `\nClara on one bar of signal (${describe()}), machine load ${loadAtStart.toFixed(1)} at the start, ${(loadavg()[0] ?? 0).toFixed(1)} at the end (1-minute average; timings on a loaded machine run long).`,
);
log(
  'First visit: over the link, a new browser context (nothing cached, no connection). Bytes are brotli bodies; repeat: bytes on the wire before the data.',
);
log(
  `Budgets: first visit ≤ ${kb(budgets.firstVisitBytes)} KB, JS ≤ ${kb(budgets.javascriptBytes.withPatientData)} KB (data pages) / ≤ ${kb(budgets.javascriptBytes.withoutPatientData)} KB (other), repeat ≤ ${kb(budgets.repeatVisitBytes)} KB before data and data ≤ ${budgets.repeatVisitDataMs} ms, first-visit data ≤ ${budgets.floorRatio} × floor, Lighthouse ${budgets.lighthouse}.\n`,
);
table(
  [
    'page',
    'kind',
    'first visit KB: page + after it (req)',
    'repeat KB (req)',
    'JS KB by island',
    'first paint ms first / repeat',
    'data ms first / repeat',
    'FHIR KB (req)',
    'Lighthouse perf / a11y / bp',
    'budgets',
  ],
  results.map((r) => [
    r.page.name,
    kindLabel(r.built.kind),
    r.first ? `${kb(startUp(r)?.bytes ?? 0)} + ${kb(startUp(r)?.other ?? 0)} later (${r.first.shell.requests})` : '—',
    r.repeat ? `${kb(r.repeat.shellBeforeData.wireBytes)} (${r.repeat.shellBeforeData.requests})` : '—',
    r.javascript.map((g) => `${g.name} ${kb(g.bytes)}`).join(' + ') || '0',
    `${ms(r.first?.fcpMs)} / ${ms(r.repeat?.fcpMs)}`,
    isData(r) ? `${ms(r.first?.dataMs)} / ${ms(r.repeat?.dataMs)}` : '',
    r.first && r.first.data.requests ? `${kb(r.first.data.bytes)} (${r.first.data.requests})` : '',
    r.lighthouse ? CATEGORIES.map((c) => r.lighthouse?.scores[c]).join(' / ') : '—',
    over(r.page.name).length ? `OVER: ${over(r.page.name).join('; ')}` : 'ok',
  ]),
);

log(
  '\nTime to data against the floor, per data page and link model. Floor = unavoidable round trips (HTML on a new connection 2; FHIR on another origin 3: connection, preflight, request) × round trip + bytes before data ÷ bandwidth.',
);
log(
  "Round trips in series: the longest chain before the data over the link (connection set-ups, preflights, requests); DevTools throttling charges only the requests. Server: the servers' own time on that chain.",
);
const dataResults = results.filter(isData);
table(
  [
    'page',
    'round trips in series',
    'unavoidable',
    'bytes before data KB',
    'floor ms',
    'data ms link / DevTools',
    'ratio link / DevTools',
    'server ms',
  ],
  [
    ...dataResults.map((r) => {
      const w = r.waterfall;
      return [
        r.page.name,
        w ? `${w.path.length} (${describePath(w.path)})` : '—',
        w ? String(w.roundTrips) : '—',
        w ? kb(w.bytesBeforeData) : '—',
        w ? ms(w.floorMs) : '—',
        `${ms(r.first?.dataMs)} / ${ms(r.devtools?.dataMs)}`,
        `${ratio(r.first?.dataMs, w)?.toFixed(2) ?? '—'} / ${ratio(r.devtools?.dataMs, w)?.toFixed(2) ?? '—'}`,
        w ? ms(w.serverMs) : '—',
      ];
    }),
    ...(manyResults?.waterfall
      ? [
          [
            `en results, ${MANY_OBSERVATIONS} obs.`,
            `${manyResults.waterfall.path.length} (${describePath(manyResults.waterfall.path)})`,
            String(manyResults.waterfall.roundTrips),
            kb(manyResults.waterfall.bytesBeforeData),
            ms(manyResults.waterfall.floorMs),
            `${ms(manyResults.dataMs)} / —`,
            `${manyResults.ratio?.toFixed(2) ?? '—'} / —`,
            ms(manyResults.waterfall.serverMs),
          ],
        ]
      : []),
  ],
);
log("\nThe critical path of each data page (over the link; ms from the navigation start to each step's end):");
for (const r of dataResults)
  if (r.waterfall) log(`  ${r.page.name}: ${pathText(r.waterfall.path, r.waterfall.origin)}`);

log(
  `\nService worker install (once, in the background, after the first page): ${install.files} files, ${kb(install.bytes)} KB.`,
);
if (manyResults) {
  const m = manyResults;
  log(
    `Ten years of labs (${MANY_OBSERVATIONS.toLocaleString('en')} observations, first visit over the link, CPU ${profile.cpuSlowdown}× slower): ${m.dataMs !== undefined ? `newest results on screen at ${m.dataMs} ms` : `the results never showed (the page said: ${m.problem ?? '—'})`}` +
      ` (${m.newestFirst ? 'the newest first' : 'NOT the newest first'}; ${m.rows} rows), ${m.fhirRequests} FHIR requests + ${m.preflights} preflights, ${kb(m.fhirBytes)} KB from the FHIR server (the sandbox's slowest answer took it ${Math.round(m.slowestServerMs)} ms);` +
      ` JS heap ${m.jsHeapUsedBytes !== undefined ? `${(m.jsHeapUsedBytes / 1048576).toFixed(1)} MB` : '—'}, ${m.domNodes ?? '—'} DOM nodes, main thread busy ${ms(m.mainThreadMs)} ms (long tasks: ${m.longTasks.count}, ${Math.round(m.longTasks.totalMs)} ms, longest ${Math.round(m.longTasks.maxMs)} ms; ${Math.round(m.longTasks.beforeDataMs)} ms of them before the data).` +
      (m.more
        ? ` "Show older results": ${m.more.rows} rows ${Math.round(m.more.ms)} ms after the tap (${m.more.fhirRequests} requests, ${kb(m.more.fhirBytes)} KB).`
        : ''),
  );
}
const lighthouseFailures = [...new Set(results.flatMap((r) => r.lighthouse?.failing ?? []))];
if (lighthouseFailures.length) log(`Lighthouse audits that cost points: ${lighthouseFailures.join('; ')}`);
const elsewhere = breaches.filter((b) => !results.some((r) => r.page.name === b.page));
for (const b of elsewhere) log(`OVER: ${b.page}: ${b.message}`);

mkdirSync('reports', { recursive: true });
writeFileSync(
  'reports/bench.json',
  JSON.stringify(
    {
      date: new Date().toISOString(),
      load: { start: loadAtStart, end: loadavg()[0] },
      seconds: Object.fromEntries(phases),
      budgets,
      install,
      manyResults: manyResults && {
        ...manyResults,
        ...(manyResults.waterfall
          ? {
              waterfall: {
                ...manyResults.waterfall,
                path: relativePath(manyResults.waterfall.path, manyResults.waterfall.origin),
              },
            }
          : {}),
      },
      breaches,
      pages: results.map((r) => ({
        name: r.page.name,
        url: r.url,
        kind: r.built.kind,
        weight: r.built.weight,
        javascript: r.javascript,
        first: r.first,
        waterfall: r.waterfall && { ...r.waterfall, path: relativePath(r.waterfall.path, r.waterfall.origin) },
        floorRatio: ratio(r.first?.dataMs, r.waterfall),
        devtools: r.devtools,
        devtoolsFloorRatio: ratio(r.devtools?.dataMs, r.waterfall),
        repeat: r.repeat,
        lighthouse: r.lighthouse,
        over: over(r.page.name),
      })),
    },
    null,
    2,
  ),
);
log(`\nTime: ${phases.map(([name, seconds]) => `${name} ${seconds} s`).join(', ')}.`);
log(
  `Wrote reports/bench.json in ${Math.round((Date.now() - started) / 1000)} s. ${breaches.length ? `${breaches.length} budget(s) broken.` : 'Every page is within every budget.'}`,
);
log(summaryLine(bytesRows, timingRows));
process.exit(breaches.length ? 1 : 0);

// ---- Helpers. ----

function kb(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}

function describe(): string {
  return `${profile.latencyMs} ms round trip, ${profile.kbps} kbps both ways, CPU ${profile.cpuSlowdown}× slower`;
}

function ratio(dataMs: number | undefined, w: Waterfall | undefined): number | undefined {
  return dataMs === undefined || !w ? undefined : dataMs / w.floorMs;
}

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  log(line(header));
  log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) log(line(row));
}

/** The critical path for the report: ms from the navigation start, without the link's raw records. */
function relativePath(path: Step[], origin: number): Omit<Step, 'exchange'>[] {
  return path.map(({ exchange: _, ...s }) => ({
    ...s,
    start: Math.round(s.start - origin),
    end: Math.round(s.end - origin),
  }));
}

function pathText(path: Step[], origin: number): string {
  return path.map((s) => `${s.origin === 'fhir' ? 'FHIR ' : ''}${s.label} ${Math.round(s.end - origin)}`).join(' → ');
}

function urlOf(page: BenchPage, ids: { result: string; thread: string; resultFragment: string }): string {
  const base = `${portalOrigin}${page.shellPath}`;
  // A result as a patient opens one, from the list: its link names the test in the fragment (no server sees it), so the
  // page asks for the result's history beside the result (DEVELOPERS.md, "The data starts with the page").
  const fragment = page.needs === 'result' ? ids.resultFragment : '';
  return page.needs ? `${base}?id=${encodeURIComponent(ids[page.needs])}${fragment}` : base;
}

/** Reads the link's log of a visit: the critical path, the bytes before the data, the floor. */
function readWaterfall(linkLog: LinkLog, v: Visit, url: string): Waterfall | undefined {
  if (v.dataMs === undefined) return undefined;
  // The browser's clock and the link's differ by a few ms: line them up on the page's own request (it reaches the link as it leaves).
  const target = new URL(url);
  const own = linkLog.exchanges.find((e) => e.listener === 'portal' && e.path === `${target.pathname}${target.search}`);
  const offset = own && v.requestStart !== undefined ? own.sentAt - (v.timeOrigin + v.requestStart) : 0;
  const origin = v.timeOrigin + offset;
  const until = origin + v.dataMs;
  const path = criticalPath(linkLog, until);
  const bytes = bytesBefore(linkLog, until);
  const fhir = usedFhir(linkLog, until);
  const roundTrips = unavoidableRoundTrips({ fhir, sameOrigin: fhirOrigin === portalOrigin });
  const server = new Map(
    linkLog.exchanges.map((e) => [
      e,
      e.answeredAt !== undefined && e.deliveredAt !== undefined ? e.answeredAt - e.deliveredAt : 0,
    ]),
  );
  const serverMs = path.reduce((sum, s) => sum + (s.exchange ? (server.get(s.exchange) ?? 0) : 0), 0);
  const at = (t: number | undefined) => (t === undefined ? undefined : Math.round(t - origin));
  return {
    origin,
    path,
    bytesBeforeData: bytes.total,
    bytesBy: bytes.by,
    fhir,
    roundTrips,
    floorMs: floorMs(roundTrips, bytes.total, linkProfile),
    serverMs,
    connections: linkLog.connections.map((c) => ({
      origin: c.listener,
      id: c.id,
      opened: at(c.openedAt) as number,
      ready: at(c.readyAt) as number,
    })),
    requests: linkLog.exchanges.map((e) => {
      const own = server.get(e);
      const first = at(e.firstByteAt);
      const last = at(e.deliveries.at(-1)?.[0]);
      return {
        origin: e.listener,
        connection: e.connection,
        request: `${e.method} ${e.path}`,
        sent: at(e.sentAt) as number,
        ...(first !== undefined ? { firstByte: first } : {}),
        ...(last !== undefined ? { lastByte: last } : {}),
        bytes: e.responseBytes,
        ...(own ? { serverMs: Math.round(own) } : {}),
      };
    }),
  };
}

/**
 * One first visit in a new browser context (its own cache, connections and
 * preflight cache), signed in as just after signing in when `session` is
 * given: over the link (`link`) or with DevTools throttling (`devtools`).
 */
async function firstVisit(
  b: Browser,
  url: string,
  session: string | undefined,
  data: string | undefined,
  model: 'link' | 'devtools',
): Promise<{ visit: Visit; waterfall?: Waterfall }> {
  const browsing = await openBrowsing(b, {
    serviceWorkers: 'block',
    ...(session ? { session: { origin: portalOrigin, value: session } } : {}),
  });
  try {
    await emulate(browsing.cdp, {
      cpuSlowdown: profile.cpuSlowdown,
      ...(model === 'devtools' ? { network: profile } : {}),
    });
    await link.dropConnections();
    await link.clearLog();
    if (model === 'link') await link.setProfile(linkProfile);
    const v = await visit(browsing, url, { served, sandboxOrigin: fhirOrigin, ...(data ? { data } : {}) });
    await link.setProfile(undefined);
    const waterfall = model === 'link' ? readWaterfall(await link.log(), v, url) : undefined;
    return { visit: v, ...(waterfall ? { waterfall } : {}) };
  } finally {
    await link.setProfile(undefined);
    await browsing.context.close();
  }
}

async function sessionOf(b: Browsing): Promise<string> {
  const session = await b.page.evaluate(() => sessionStorage.getItem('clara.session'));
  if (!session)
    throw new Error(
      'Signing in left no session in sessionStorage (clara.session): the benchmark cannot open pages signed in.',
    );
  return session;
}

/** One result and one conversation of the sample patient, for the pages that show one. */
async function sampleIds(b: Browsing): Promise<{ result: string; thread: string; resultFragment: string }> {
  await b.page.goto(`${portal}en/results/`);
  const result = await b.page.locator('.result-row').first().getAttribute('data-result-id');
  const href = (await b.page.locator('.result-row a').first().getAttribute('href')) ?? '';
  const resultFragment = href.includes('#') ? href.slice(href.indexOf('#')) : '';
  await b.page.goto(`${portal}en/messages/`);
  const thread = await b.page.locator('.thread-row').first().getAttribute('data-thread-id');
  if (!result || !thread)
    throw new Error(`${PATIENT} has no result or no conversation in the sandbox: the benchmark needs both.`);
  return { result, thread, resultFragment };
}

/** Waits until the service worker is installed and controls the page. */
async function controlled(b: Browsing): Promise<void> {
  await b.page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  if (!(await b.page.evaluate(() => !!navigator.serviceWorker.controller))) await b.page.reload();
  await b.page.waitForFunction(() => !!navigator.serviceWorker.controller);
}

/** Records the page's long tasks (main thread busy over 50 ms at once) in window.__claraLongTasks. */
function watchLongTasks(): void {
  const w = window as unknown as { __claraLongTasks?: { start: number; duration: number }[] };
  w.__claraLongTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__claraLongTasks?.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no long task timing: reported as none
  }
}

/**
 * The results list of a patient with ten years of labs, on a first visit
 * over the link: the sandbox is replaced by one holding that patient (the
 * sample patients' searches are not slowed by 5,000 more observations).
 */
async function measureMany(b: Browser, dir: string): Promise<ManyResults> {
  writeFileSync(
    join(dir, 'many-results.json'),
    JSON.stringify(manyResultsBundle({ observations: MANY_OBSERVATIONS, years: 10 })),
  );
  await stack.replaceSandbox({ SANDBOX_DATA: dir, SANDBOX_KEEP_CURRENT: '1' });
  const setup = await openBrowsing(b, { serviceWorkers: 'block' });
  await signIn(setup.page, portal, MANY_RESULTS_PATIENT);
  // The patient lands on home, whose requests start with the page: let them end (as they do before a patient taps
  // Results), so the measured visit does not queue behind searches of a page that was closed.
  await setup.page.waitForLoadState('networkidle', { timeout: 180_000 }).catch(() => undefined);
  const session = await sessionOf(setup);
  await setup.context.close();

  const browsing = await openBrowsing(b, {
    serviceWorkers: 'block',
    session: { origin: portalOrigin, value: session },
  });
  try {
    await browsing.context.addInitScript(watchLongTasks);
    await emulate(browsing.cdp, { cpuSlowdown: profile.cpuSlowdown });
    await browsing.cdp.send('Performance.enable');
    await link.dropConnections();
    await link.clearLog();
    await link.setProfile(linkProfile);
    // The sandbox's searches over 5,000 observations are slow (README, "The sandbox EHR"): a longer wait than the pages'.
    const v = await visit(browsing, `${portal}en/results/`, {
      served,
      sandboxOrigin: fhirOrigin,
      data: '[data-state="results"] .result-row',
      timeoutMs: 180_000,
    });
    await link.setProfile(undefined);
    const first = await link.log();
    const metrics = new Map((await browsing.cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const rows = await browsing.page.locator('.result-row').count();
    const firstId = rows ? await browsing.page.locator('.result-row').first().getAttribute('data-result-id') : null;
    const tasks = await browsing.page.evaluate(
      () => (window as unknown as { __claraLongTasks?: { start: number; duration: number }[] }).__claraLongTasks ?? [],
    );
    const fhirExchanges = first.exchanges.filter((e) => e.listener === 'fhir');
    const waterfall = readWaterfall(first, v, `${portal}en/results/`);
    const taskMs = metrics.get('TaskDuration');
    const heap = metrics.get('JSHeapUsedSize');
    const nodes = metrics.get('Nodes');
    const result: ManyResults = {
      observations: MANY_OBSERVATIONS,
      ...(v.dataMs !== undefined ? { dataMs: v.dataMs } : {}),
      ...(v.problem ? { problem: v.problem } : {}),
      ...(waterfall ? { waterfall } : {}),
      ...(waterfall && v.dataMs !== undefined ? { ratio: v.dataMs / waterfall.floorMs } : {}),
      rows,
      newestFirst: firstId === 'bench-obs-0',
      fhirRequests: fhirExchanges.filter((e) => e.method !== 'OPTIONS').length,
      preflights: fhirExchanges.filter((e) => e.method === 'OPTIONS').length,
      fhirBytes: fhirExchanges.reduce((sum, e) => sum + e.responseBytes, 0),
      slowestServerMs: Math.max(
        0,
        ...fhirExchanges.map((e) =>
          e.answeredAt !== undefined && e.deliveredAt !== undefined ? e.answeredAt - e.deliveredAt : 0,
        ),
      ),
      ...(heap !== undefined ? { jsHeapUsedBytes: heap } : {}),
      ...(nodes !== undefined ? { domNodes: nodes } : {}),
      // TaskDuration is in seconds, for the page's renderer since it started.
      ...(taskMs !== undefined ? { mainThreadMs: taskMs * 1000 } : {}),
      longTasks: {
        count: tasks.length,
        totalMs: tasks.reduce((sum, t) => sum + t.duration, 0),
        maxMs: Math.max(0, ...tasks.map((t) => t.duration)),
        beforeDataMs: tasks
          .filter((t) => v.dataMs !== undefined && t.start < v.dataMs)
          .reduce((sum, t) => sum + Math.min(t.duration, (v.dataMs ?? 0) - t.start), 0),
      },
    };
    // Older results on demand: one tap, over the link.
    const more = browsing.page.getByRole('button', { name: 'Show older results' });
    if (await more.count()) {
      await link.clearLog();
      await link.setProfile(linkProfile);
      const tapped = now();
      try {
        await more.click();
        await browsing.page.waitForFunction((n) => document.querySelectorAll('.result-row').length > n, rows, {
          timeout: 180_000,
        });
        const ms = now() - tapped;
        const exchanges = (await link.log()).exchanges.filter((e) => e.listener === 'fhir');
        result.more = {
          ms,
          rows: await browsing.page.locator('.result-row').count(),
          fhirRequests: exchanges.filter((e) => e.method !== 'OPTIONS').length,
          fhirBytes: exchanges.reduce((sum, e) => sum + e.responseBytes, 0),
        };
      } catch (error) {
        log(`  "Show older results" did not show more within 3 minutes: ${(error as Error).message.split('\n')[0]}`);
      } finally {
        await link.setProfile(undefined);
      }
    }
    return result;
  } finally {
    await link.setProfile(undefined);
    await browsing.context.close();
  }
}
