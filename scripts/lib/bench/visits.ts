/**
 * Visits pages in real Chromium the way a patient on one bar of signal
 * would, and measures them: what the portal sent (counted by the portal's
 * own server, so the service worker's fetches count too), what the FHIR
 * server sent (Chrome's network log), first contentful paint, and when the
 * patient's data was on screen.
 *
 * The CPU is slowed down with the Chrome DevTools Protocol. The network is
 * slowed either by the bench's own link (scripts/lib/bench/link.ts, which
 * charges connections and preflights) or, for comparison, by DevTools
 * throttling (round trip and bandwidth on the page's requests only).
 */
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { ServedRequest } from '../static-server.ts';
import type { Profile } from './budgets.ts';
import { DATA_SELECTORS } from './pages.ts';

export type { Profile };

export interface Visit {
  /** The portal's answers (the app: HTML, CSS, JS, icons, glossary entries). */
  shell: {
    /** Bodies as sent (brotli). */
    bodyBytes: number;
    /** Bodies plus status lines and headers. */
    wireBytes: number;
    requests: number;
    /** JavaScript bodies (brotli). */
    jsBytes: number;
    paths: string[];
    /** Each answer's path and body (brotli). */
    files: { path: string; bodyBytes: number }[];
  };
  /** Shell bytes from the network before the patient's data was on screen (all of them for pages without data). */
  shellBeforeData: { wireBytes: number; requests: number };
  /** The clinic's FHIR server (patient data), as Chrome received it. */
  data: { bytes: number; requests: number };
  /** First contentful paint, ms after the navigation started. */
  fcpMs?: number;
  /** The patient's data on screen, ms after the navigation started. */
  dataMs?: number;
  /** When the navigation started (epoch ms, the page's performance.timeOrigin). */
  timeOrigin: number;
  /** When the page's own request left, ms after the navigation started (to line the link's clock up with the page's). */
  requestStart?: number;
  /** When the data never showed: what the page said instead (its problem, e.g. "timeout"), or "none shown". */
  problem?: string;
}

/** A served-request log with arrival times (filled by the portal server's onRequest). */
export type ServedLog = (ServedRequest & { at: number })[];

const ALL_DATA = [...new Set(Object.values(DATA_SELECTORS).flatMap((s) => s.split(',').map((x) => x.trim())))].join(
  ', ',
);

/** Records, in every page, when patient data first appears (window.__claraDataAt). */
function watchForData(selector: string): void {
  const w = window as unknown as { __claraDataAt?: number };
  const check = () => {
    if (w.__claraDataAt === undefined && document.querySelector(selector)) w.__claraDataAt = performance.now();
  };
  new MutationObserver(check).observe(document, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ['data-state'],
  });
}

export interface Browsing {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
}

/**
 * A new browser context (its own cache, connections and CORS preflight
 * cache, as a phone that has not opened the portal yet), optionally signed
 * in as just after signing in: `session` is written into the portal's
 * sessionStorage before its scripts run.
 */
export async function openBrowsing(
  browser: Browser,
  options: { serviceWorkers: 'allow' | 'block'; session?: { origin: string; value: string } },
): Promise<Browsing> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 640 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'en-US',
    serviceWorkers: options.serviceWorkers,
  });
  await context.addInitScript(watchForData, ALL_DATA);
  if (options.session)
    await context.addInitScript(({ origin, value }) => {
      if (location.origin === origin && !sessionStorage.getItem('clara.session'))
        sessionStorage.setItem('clara.session', value);
    }, options.session);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  return { context, page, cdp };
}

/** DevTools network throttling (`network`: the profile's round trip and bandwidth, or none) and the CPU slowed `cpuSlowdown` times. */
export async function emulate(cdp: CDPSession, options: { network?: Profile; cpuSlowdown: number }): Promise<void> {
  const { network } = options;
  const bytesPerSecond = network ? (network.kbps * 1000) / 8 : -1;
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: network?.latencyMs ?? 0,
    downloadThroughput: bytesPerSecond,
    uploadThroughput: bytesPerSecond,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: options.cpuSlowdown });
}

/** Signs in through the sandbox's authorize page as a patient would. */
export async function signIn(page: Page, portal: string, patient: string): Promise<void> {
  await page.goto(`${portal}en/sign-in/`);
  await page.getByRole('button', { name: /^Sign in with / }).click();
  await page.waitForURL(/\/auth\/authorize/);
  await page.getByRole('radio', { name: patient }).check();
  await page.getByRole('button', { name: 'Sign in and allow' }).click();
  await page.waitForURL((url) => url.href.startsWith(portal) && !url.pathname.includes('/sign-in/'));
}

/**
 * Opens `url` and waits until the page has done its work: the patient's
 * data is on screen (when `data` is given) and the network is quiet.
 */
export async function visit(
  b: Browsing,
  url: string,
  options: { served: ServedLog; sandboxOrigin: string; data?: string; timeoutMs?: number },
): Promise<Visit> {
  const { page, cdp } = b;
  const timeout = options.timeoutMs ?? 60_000;
  const urls = new Map<string, string>();
  let dataBytes = 0;
  let dataRequests = 0;
  const onRequest = (e: { requestId: string; request: { url: string } }) => {
    urls.set(e.requestId, e.request.url);
    if (e.request.url.startsWith(options.sandboxOrigin)) dataRequests++;
  };
  const onFinished = (e: { requestId: string; encodedDataLength: number }) => {
    if (urls.get(e.requestId)?.startsWith(options.sandboxOrigin)) dataBytes += e.encodedDataLength;
  };
  cdp.on('Network.requestWillBeSent', onRequest);
  cdp.on('Network.loadingFinished', onFinished);
  const first = options.served.length;
  try {
    await page.goto(url, { waitUntil: 'load', timeout });
    // The data, or the page saying why not (a timeout, an error): either ends the wait; neither within `timeout` is "never".
    if (options.data)
      await page
        .waitForSelector(`${options.data}, [data-problem]`, { state: 'attached', timeout })
        .catch(() => undefined);
    await page.waitForLoadState('networkidle', { timeout }).catch(() => undefined);
    // What a page starts after it is idle (the outbox check, a glossary entry) has a moment to arrive.
    await page.waitForTimeout(300);
    await page.waitForLoadState('networkidle', { timeout }).catch(() => undefined);
  } finally {
    cdp.off('Network.requestWillBeSent', onRequest);
    cdp.off('Network.loadingFinished', onFinished);
  }
  const timing = await page.evaluate(() => ({
    requestStart: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)
      ?.requestStart,
    problem: document.querySelector('[data-problem]')?.getAttribute('data-problem') ?? undefined,
    origin: performance.timeOrigin,
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    data: (window as unknown as { __claraDataAt?: number }).__claraDataAt,
  }));
  const served = options.served.slice(first);
  const dataAt = options.data && timing.data !== undefined ? timing.origin + timing.data : Number.POSITIVE_INFINITY;
  const before = served.filter((r) => r.at <= dataAt);
  return {
    shell: {
      bodyBytes: served.reduce((sum, r) => sum + r.bodyBytes, 0),
      wireBytes: served.reduce((sum, r) => sum + r.bodyBytes + r.headerBytes, 0),
      requests: served.length,
      jsBytes: served.filter((r) => /\.m?js(\?|$)/.test(r.path)).reduce((sum, r) => sum + r.bodyBytes, 0),
      paths: served.map((r) => r.path),
      files: served.map((r) => ({ path: r.path, bodyBytes: r.bodyBytes })),
    },
    shellBeforeData: {
      wireBytes: before.reduce((sum, r) => sum + r.bodyBytes + r.headerBytes, 0),
      requests: before.length,
    },
    data: { bytes: dataBytes, requests: dataRequests },
    ...(timing.fcp !== undefined ? { fcpMs: Math.round(timing.fcp) } : {}),
    ...(options.data && timing.data !== undefined ? { dataMs: Math.round(timing.data) } : {}),
    timeOrigin: timing.origin,
    ...(timing.requestStart !== undefined ? { requestStart: timing.requestStart } : {}),
    ...(options.data && timing.data === undefined ? { problem: timing.problem ?? 'none shown' } : {}),
  };
}
