/**
 * Clara's security headers, from one source of truth: the validated clinic
 * configuration and the built pages' inline code (inline-code.ts). Pure (no
 * file system).
 *
 * From here come:
 * - the Content-Security-Policy: `script-src` allows this site and the
 *   SHA-256 of every inline script found in the built HTML (never a
 *   hand-kept list), `connect-src` this site, the FHIR server and every SMART
 *   endpoint origin the configuration names;
 * - the header set of each kind of path (a page, the service worker, the web
 *   app manifest, a hashed asset, any other file).
 *
 * header-files.ts writes them out for each host; security-files.ts is the
 * build step that runs them. Why each value is what it is: docs/deploy.md,
 * "Security headers".
 */
import type { ClinicConfig } from '../lib/config/schema.ts';
import type { PageHashes } from './inline-code.ts';

/** The kinds of path that get different headers. */
export type PathKind = 'document' | 'worker' | 'manifest' | 'asset' | 'static';

export const ASSET_PREFIX = '/_astro/';
export const WORKER_PATH = '/sw.js';
export const MANIFEST_PATH = '/manifest.webmanifest';
/** The static-host header file, written into dist/ (never served by nginx or the project's server). */
export const HEADERS_FILE = '_headers';

/** `Cache-Control` by kind: only /_astro/ file names carry a content hash; everything else is revalidated every time. */
export const CACHE_CONTROL: Record<PathKind, string> = {
  document: 'no-cache',
  worker: 'no-cache',
  manifest: 'no-cache',
  asset: 'public, max-age=31536000, immutable',
  static: 'no-cache',
};

/**
 * Features Clara never uses are denied to the page and anything it could
 * embed; WebAuthn (the phone's screen lock unlocking the kept copy) is
 * allowed for this site only. Speech synthesis ("Listen") needs no
 * permission. Every name here is one Chromium knows (the header test checks
 * it: an unknown name is logged as an error). `local-network-access` is left
 * alone on purpose: a clinic's FHIR server may live on its own network.
 */
export const PERMISSIONS: readonly (readonly [string, string])[] = [
  ['accelerometer', '()'],
  ['browsing-topics', '()'],
  ['camera', '()'],
  ['clipboard-read', '()'],
  ['display-capture', '()'],
  ['encrypted-media', '()'],
  ['geolocation', '()'],
  ['gyroscope', '()'],
  ['hid', '()'],
  ['identity-credentials-get', '()'],
  ['idle-detection', '()'],
  ['local-fonts', '()'],
  ['magnetometer', '()'],
  ['microphone', '()'],
  ['midi', '()'],
  ['otp-credentials', '()'],
  ['payment', '()'],
  ['publickey-credentials-create', '(self)'],
  ['publickey-credentials-get', '(self)'],
  ['screen-wake-lock', '()'],
  ['serial', '()'],
  ['usb', '()'],
  ['window-management', '()'],
  ['xr-spatial-tracking', '()'],
];

export const PERMISSIONS_POLICY = PERMISSIONS.map(([feature, allow]) => `${feature}=${allow}`).join(', ');

/** Two years, subdomains included: the value HSTS preload lists ask for. Ignored by browsers over plain http (localhost). */
export const HSTS = 'max-age=63072000; includeSubDomains';

/** The origins (besides this site) that pages and the service worker may connect to. */
export function connectOrigins(config: Pick<ClinicConfig, 'fhir' | 'smart'>): string[] {
  const urls = [config.fhir.baseUrl, config.smart.issuer, ...config.smart.endpointOrigins];
  return [...new Set(urls.map((url) => new URL(url).origin))];
}

export type Delivery = 'header' | 'meta';

/**
 * The policy of a page. As a `<meta>` it leaves out `frame-ancestors`
 * (a meta cannot carry it, and Chromium logs an error when it tries).
 */
export function contentSecurityPolicy(origins: readonly string[], hashes: PageHashes, delivery: Delivery): string {
  const styles = [
    ...hashes.styles,
    ...(hashes.styleAttributes.length ? ["'unsafe-hashes'", ...hashes.styleAttributes] : []),
  ];
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", ...hashes.scripts]],
    ...(styles.length ? [['style-src', ["'self'", ...styles]] as [string, string[]]] : []),
    ['connect-src', ["'self'", ...origins]],
    ['img-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'self'"]],
    ...(delivery === 'header' ? [['frame-ancestors', ["'none'"]] as [string, string[]]] : []),
    ['worker-src', ["'self'"]],
    ['manifest-src', ["'self'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}

/** The service worker's own policy: what it may fetch (it runs no inline code and is never framed). */
export function workerPolicy(origins: readonly string[]): string {
  return `default-src 'self'; connect-src ${["'self'", ...origins].join(' ')}`;
}

export type HeaderSet = Record<string, string>;

/**
 * The headers of each kind of path. Every response: nosniff, no referrer,
 * same-origin resource policy. Pages (the 404 included) add the CSP,
 * Permissions-Policy, HSTS, COOP and X-Frame-Options (for browsers older
 * than frame-ancestors); the worker adds its own CSP. Cache-Control by kind.
 */
export function headerSets(origins: readonly string[], union: PageHashes): Record<PathKind, HeaderSet> {
  const common = {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  return {
    document: {
      'Content-Security-Policy': contentSecurityPolicy(origins, union, 'header'),
      'Permissions-Policy': PERMISSIONS_POLICY,
      'Strict-Transport-Security': HSTS,
      'Cross-Origin-Opener-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
      ...common,
      'Cache-Control': CACHE_CONTROL.document,
    },
    worker: { 'Content-Security-Policy': workerPolicy(origins), ...common, 'Cache-Control': CACHE_CONTROL.worker },
    manifest: { ...common, 'Cache-Control': CACHE_CONTROL.manifest },
    asset: { ...common, 'Cache-Control': CACHE_CONTROL.asset },
    static: { ...common, 'Cache-Control': CACHE_CONTROL.static },
  };
}

/** The kind of a served path (after the directory index: `/en/` is served as `/en/index.html`). */
export function kindOf(path: string): PathKind {
  if (path === WORKER_PATH) return 'worker';
  if (path === MANIFEST_PATH) return 'manifest';
  if (path.startsWith(ASSET_PREFIX)) return 'asset';
  if (path.endsWith('/') || path.endsWith('.html')) return 'document';
  return 'static';
}
