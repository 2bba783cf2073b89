/**
 * A deployment a clinic can trust, checked on the server the journeys run
 * on (nginx with the shipped configuration, unless CLARA_TEST_SERVER=node):
 * every header on every route, each with its exact value; the CSP's hashes
 * match every inline script (header: all pages; <meta>: that page, first in
 * <head>); Chromium knows every Permissions-Policy feature and leaves
 * WebAuthn to the site; no page can be framed; and the fixture that fails
 * a test on a violation or a third-origin request really catches them.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PERMISSIONS, PERMISSIONS_POLICY } from '../../src/build/security-headers.ts';
import { BASE_URL, PORTAL_SERVER, SANDBOX_ORIGIN } from './support/env.ts';
import { guardProblems } from './support/guard.ts';
import { PAGES } from './support/pages.ts';
import { DEFAULT_ORIGINS, expect, test } from './support/test.ts';

const sha = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Inline scripts the CSP governs, read with a plain pattern (not the build's parser): no src, not a JSON data block. */
function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter(
      ([, attributes = '']) => !/\bsrc=/i.test(attributes) && !/\btype=["']?application\/(ld\+)?json/i.test(attributes),
    )
    .map(([, , body = '']) => body);
}

function builtPages(dir = 'dist'): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.html'))
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));
}

/** The sample configuration's extra SMART origins (none today); the build points FHIR and SMART at the sandbox. */
const extraOrigins = (
  (JSON.parse(readFileSync('clinic.config.json', 'utf8')) as { smart?: { endpointOrigins?: string[] } }).smart
    ?.endpointOrigins ?? []
).map((o) => new URL(o).origin);

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name = '', ...values]) => [name, values]),
  );
}

/** The policy Clara must serve, with script-src's hashes sorted so order does not matter. */
function expectedPolicy(scriptHashes: string[], delivery: 'header' | 'meta'): Map<string, string[]> {
  return new Map<string, string[]>([
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", ...[...new Set(scriptHashes)].sort()]],
    ['connect-src', ["'self'", ...new Set([SANDBOX_ORIGIN, ...extraOrigins])]],
    ['img-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'self'"]],
    ...(delivery === 'header' ? [['frame-ancestors', ["'none'"]] as [string, string[]]] : []),
    ['worker-src', ["'self'"]],
    ['manifest-src', ["'self'"]],
  ]);
}

function sortedScriptSrc(policy: Map<string, string[]>): Map<string, string[]> {
  const [self = '', ...hashes] = policy.get('script-src') ?? [];
  return new Map(
    [...policy].map(([name, values]) => [name, name === 'script-src' ? [self, ...hashes.sort()] : values]),
  );
}

const COMMON = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};
const PAGE_HEADERS = {
  ...COMMON,
  'permissions-policy': PERMISSIONS_POLICY,
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'cross-origin-opener-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cache-control': 'no-cache',
};
/** Headers only pages carry; other files must not (nor a second copy of any). */
const PAGE_ONLY = [
  'content-security-policy',
  'permissions-policy',
  'strict-transport-security',
  'cross-origin-opener-policy',
  'x-frame-options',
];

async function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(new URL(path, BASE_URL), { headers: { 'Accept-Encoding': 'gzip, br', ...headers }, redirect: 'manual' });
}

function expectHeaders(res: Response, expected: Record<string, string>, what: string): void {
  for (const [name, value] of Object.entries(expected)) expect(res.headers.get(name), `${name} on ${what}`).toBe(value);
}

test.describe('headers on every route', () => {
  const allScripts = builtPages().flatMap(inlineScripts).map(sha);

  test('every page in both languages, /, and the bilingual 404: exact headers, the CSP and its hashes', async () => {
    expect(allScripts.length, 'the built pages have inline scripts to check').toBeGreaterThan(0);
    const routes = [
      ...PAGES.map((p) => ({ name: p.name, path: p.path, status: p.status })),
      { name: 'root', path: '/', status: 200 },
      { name: 'unknown page in Spanish', path: '/es/no-existe/', status: 404 },
    ];
    for (const route of routes) {
      const res = await get(route.path);
      const html = await res.text();
      const what = `${route.name} (${route.path})`;
      expect(res.status, what).toBe(route.status);
      expect(res.headers.get('content-type'), what).toBe('text/html; charset=utf-8');
      expectHeaders(res, PAGE_HEADERS, what);
      const header = res.headers.get('content-security-policy') ?? '';
      expect(sortedScriptSrc(directives(header)), `CSP header on ${what}`).toEqual(
        expectedPolicy(allScripts, 'header'),
      );
      // The page's own inline scripts are all in the header.
      const own = inlineScripts(html).map(sha);
      for (const hash of own) expect(header, `hash of an inline script of ${what}`).toContain(hash);
      // The <meta>: right after <meta charset>, before every script, exactly this page's hashes, no frame-ancestors.
      const head =
        /<head>(<meta charset="utf-8">)<meta http-equiv="content-security-policy" content="([^"]*)"><meta name="referrer" content="no-referrer">/.exec(
          html,
        );
      expect(head, `meta CSP first in <head> on ${what}`).not.toBeNull();
      expect(html.indexOf('<script'), `no script before the meta CSP on ${what}`).toBeGreaterThan(
        html.indexOf('http-equiv="content-security-policy"'),
      );
      const meta = (head?.[2] ?? '').replace(/&#39;|&apos;/g, "'").replace(/&amp;/g, '&');
      expect(sortedScriptSrc(directives(meta)), `meta CSP on ${what}`).toEqual(expectedPolicy(own, 'meta'));
      expect(html.match(/http-equiv="content-security-policy"/g), `one meta CSP on ${what}`).toHaveLength(1);
      expect(res.headers.get('content-encoding'), `compressed ${what}`).toMatch(/^(gzip|br)$/);
      if (PORTAL_SERVER === 'nginx') expect(res.headers.get('server'), 'no version in Server').toBe('nginx');
    }
  });

  test('a page revalidated with its ETag answers 304 with its headers', async () => {
    const first = await get('/en/results/');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await get('/en/results/', { 'If-None-Match': etag ?? '' });
    expect(again.status).toBe(304);
    expect(again.headers.get('cache-control')).toBe('no-cache');
  });

  test('/sw.js, the manifest, an /_astro/ script and stylesheet, the icon and every JSON file', async () => {
    const html = await (await get('/en/')).text();
    const script = /<script type="module" src="(\/_astro\/[^"]+\.js)"/.exec(html)?.[1];
    const style = /<link rel="stylesheet" href="(\/_astro\/[^"]+\.css)"/.exec(html)?.[1];
    expect(script, 'an /_astro/ script on /en/').toBeTruthy();
    expect(style, 'an /_astro/ stylesheet on /en/').toBeTruthy();
    const json = readdirSync('dist', { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.json'))
      .map((e) => `/${join(e.parentPath, e.name).split('/').slice(1).join('/')}`);
    // Each language's whole glossary is one JSON file (issue 11: no request says which test was opened).
    expect(json, 'the glossaries are served as JSON').toEqual(
      expect.arrayContaining(['/en/labs/glossary.json', '/es/labs/glossary.json']),
    );
    const files: { path: string; type: RegExp; headers: Record<string, string>; worker?: boolean }[] = [
      {
        path: '/sw.js',
        type: /^(application|text)\/javascript(; charset=utf-8)?$/,
        headers: { ...COMMON, 'cache-control': 'no-cache' },
        worker: true,
      },
      {
        path: '/manifest.webmanifest',
        type: /^application\/manifest\+json(; charset=utf-8)?$/,
        headers: { ...COMMON, 'cache-control': 'no-cache' },
      },
      {
        path: script ?? '',
        type: /^(application|text)\/javascript(; charset=utf-8)?$/,
        headers: { ...COMMON, 'cache-control': 'public, max-age=31536000, immutable' },
      },
      {
        path: style ?? '',
        type: /^text\/css(; charset=utf-8)?$/,
        headers: { ...COMMON, 'cache-control': 'public, max-age=31536000, immutable' },
      },
      { path: '/favicon.svg', type: /^image\/svg\+xml$/, headers: { ...COMMON, 'cache-control': 'no-cache' } },
      ...json.map((path) => ({
        path,
        type: /^application\/json(; charset=utf-8)?$/,
        headers: { ...COMMON, 'cache-control': 'no-cache' },
      })),
    ];
    for (const file of files) {
      const res = await get(file.path);
      expect(res.status, file.path).toBe(200);
      expect(res.headers.get('content-type'), file.path).toMatch(file.type);
      expectHeaders(res, file.headers, file.path);
      for (const name of PAGE_ONLY) {
        if (file.worker && name === 'content-security-policy') continue;
        expect(res.headers.get(name), `${name} on ${file.path}`).toBeNull();
      }
      if (file.worker)
        expect(res.headers.get('content-security-policy')).toBe(
          `default-src 'self'; connect-src 'self' ${[...new Set([SANDBOX_ORIGIN, ...extraOrigins])].join(' ')}`,
        );
      await res.arrayBuffer();
    }
  });

  test('the static-host header file is not served, and a folder without its slash is sent to it', async () => {
    const headersFile = await get('/_headers');
    expect(headersFile.status).toBe(404);
    expect(await headersFile.text()).not.toContain('Content-Security-Policy:');
    const folder = await get('/en/results');
    expect(folder.status).toBe(301);
    expect(new URL(folder.headers.get('location') ?? '', BASE_URL).pathname).toBe('/en/results/');
    expectHeaders(folder, COMMON, '/en/results (redirect)');
  });

  test('Chromium knows every Permissions-Policy feature; WebAuthn is allowed to the site, the camera and location are not', async ({
    page,
  }) => {
    await page.goto('/en/settings/');
    const policy = await page.evaluate(
      (names) => {
        const fp = (
          document as unknown as { featurePolicy: { features(): string[]; allowsFeature(f: string): boolean } }
        ).featurePolicy;
        const known = new Set(fp.features());
        return {
          unknown: names.filter((name) => !known.has(name)),
          webauthnGet: fp.allowsFeature('publickey-credentials-get'),
          webauthnCreate: fp.allowsFeature('publickey-credentials-create'),
          denied: ['camera', 'microphone', 'geolocation', 'payment', 'usb'].filter((f) => fp.allowsFeature(f)),
        };
      },
      PERMISSIONS.map(([name]) => name),
    );
    expect(policy).toEqual({ unknown: [], webauthnGet: true, webauthnCreate: true, denied: [] });
  });
});

// Framed from another origin, Clara's pages are refused by frame-ancestors, X-Frame-Options and CORP alike;
// framed from its own origin, only frame-ancestors 'none' (or X-Frame-Options: DENY) refuses them.
for (const [where, origin] of [
  ['another origin', SANDBOX_ORIGIN],
  ['its own origin', BASE_URL],
] as const) {
  test(`a page on ${where} cannot frame Clara, in either language`, async ({ page, guard }) => {
    const framer = `${origin}/framing-test/`;
    // The control: a page on the portal's origin without Clara's headers does load in the same framer.
    const control = `${BASE_URL}/framing-control/`;
    await page.route(framer, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><title>framer</title><iframe name="en" src="${BASE_URL}/en/"></iframe><iframe name="es" src="${BASE_URL}/es/sign-in/"></iframe><iframe name="control" src="${control}"></iframe>`,
      }),
    );
    await page.route(control, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>control</title><p>framed</p>' }),
    );
    await page.goto(framer);
    await expect(page.frameLocator('[name="control"]').getByText('framed')).toBeVisible();
    for (const name of ['en', 'es']) {
      const frame = page.frame({ name });
      await expect.poll(() => frame?.url(), `the ${name} frame was refused`).toMatch(/^chrome-error:/);
      // Chromium shows its own error page in the frame: nothing of Clara's.
      expect(await frame?.locator('main#main').count()).toBe(0);
      expect(await frame?.getByText('Riverbend Family Clinic').count()).toBe(0);
    }
    // A framer on Clara's own origin is told why, in its console (the fixture would fail the test on it: checked and cleared here).
    const problems = guardProblems(guard.take(), { origins: DEFAULT_ORIGINS });
    const refusals = problems.filter((p) =>
      p.includes(`violates the following Content Security Policy directive: "frame-ancestors 'none'"`),
    );
    expect(refusals).toHaveLength(origin === BASE_URL ? 2 : 0);
    expect(problems.filter((p) => !refusals.includes(p))).toEqual([]);
  });
}

test('the fixture catches a CSP violation, its console message and a request to a third origin', async ({
  page,
  guard,
}) => {
  await page.goto('/en/');
  // An injected inline script: blocked (no hash), reported as a violation and in the console.
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.injected = true;';
    document.head.append(script);
  });
  expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
  // A third origin (127.0.0.1 is not localhost): a navigation is not stopped by the CSP, so the request happens.
  const third = `http://127.0.0.1:${new URL(BASE_URL).port}/favicon.svg`;
  await page.goto(third).catch(() => undefined);
  await expect.poll(() => guard.records.violations.length).toBeGreaterThan(0);
  const problems = guardProblems(guard.take(), { origins: DEFAULT_ORIGINS });
  expect(problems.some((p) => p.startsWith('CSP violation on') && p.includes('script-src'))).toBe(true);
  expect(problems.some((p) => p.startsWith('console error') && /Content Security Policy/.test(p))).toBe(true);
  expect(problems.some((p) => p.startsWith(`request to a third origin: ${third}`))).toBe(true);
});
