/**
 * Clara's security headers, from one source of truth: the validated clinic
 * configuration and the built pages. Pure (no file system): the build step
 * (security-files.ts) feeds it the built HTML and writes what it renders.
 *
 * From here come:
 * - the Content-Security-Policy: `script-src` allows this site and the
 *   SHA-256 of every inline script found in the built HTML (never a
 *   hand-kept list), `connect-src` this site, the FHIR server and every SMART
 *   endpoint origin the configuration names;
 * - the header set of each kind of path (a page, the service worker, the web
 *   app manifest, a hashed asset, any other file);
 * - their renderings: the `<meta>` tags written into each page, `_headers`
 *   (Netlify and Cloudflare Pages syntax), the nginx locations file, and the
 *   JSON the project's own static server reads (scripts/lib/static-server.ts).
 *
 * Why each value is what it is: docs/deploy.md, "Security headers".
 */
import { createHash } from 'node:crypto';
import { Parser } from 'htmlparser2';
import type { ClinicConfig } from '../lib/config/schema.ts';

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

/** A CSP source expression for `text`: `'sha256-<base64>'` of its UTF-8 bytes. */
export function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** What a page has inline that the CSP must know about. */
export interface InlineCode {
  /** The text of every inline script the browser runs or the CSP governs (not JSON data blocks). */
  scripts: string[];
  /** The text of every `<style>` element. */
  styles: string[];
  /** The value of every `style="…"` attribute. */
  styleAttributes: string[];
  /** Markup a CSP without 'unsafe-inline' blocks and no hash can allow: event-handler attributes, javascript: URLs, scripts from other sites. */
  problems: string[];
}

const JS_TYPES = new Set([
  'application/ecmascript',
  'application/javascript',
  'application/x-ecmascript',
  'application/x-javascript',
  'text/ecmascript',
  'text/javascript',
  'text/javascript1.0',
  'text/javascript1.1',
  'text/javascript1.2',
  'text/javascript1.3',
  'text/javascript1.4',
  'text/javascript1.5',
  'text/jscript',
  'text/livescript',
  'text/x-ecmascript',
  'text/x-javascript',
]);

/**
 * True when a `<script type>` is code (or an import map or speculation
 * rules, which script-src also governs); false for data blocks such as
 * `application/json`, which the browser never runs.
 */
export function isGovernedScript(type: string | undefined): boolean {
  const essence = (type ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return essence === '' || JS_TYPES.has(essence) || ['module', 'importmap', 'speculationrules'].includes(essence);
}

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href']);

/** Reads a built page: its inline scripts and styles, exactly as the browser hashes them. */
export function inlineCode(html: string): InlineCode {
  const out: InlineCode = { scripts: [], styles: [], styleAttributes: [], problems: [] };
  let open: { name: 'script' | 'style'; start: number; governed: boolean } | undefined;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        for (const [attribute, value] of Object.entries(attributes)) {
          const lower = attribute.toLowerCase();
          if (/^on[a-z]+$/.test(lower))
            out.problems.push(
              `<${name} ${attribute}="…">: an event-handler attribute (use addEventListener in a script file)`,
            );
          if (lower === 'style') out.styleAttributes.push(value);
          if (URL_ATTRIBUTES.has(lower) && /^\s*javascript:/i.test(value))
            out.problems.push(`<${name} ${attribute}="javascript:…">: a javascript: URL`);
        }
        if (name === 'script' && attributes['src'] !== undefined && /^\s*(https?:)?\/\//i.test(attributes['src'])) {
          out.problems.push(`<script src="${attributes['src']}">: a script from another site`);
        }
        if ((name === 'script' && attributes['src'] === undefined) || name === 'style') {
          open = {
            name,
            start: parser.endIndex + 1,
            governed: name === 'style' || isGovernedScript(attributes['type']),
          };
        }
      },
      onclosetag(name) {
        if (open && name === open.name) {
          // The exact characters between the tags: what the browser hashes.
          const text = html.slice(open.start, parser.startIndex);
          if (open.name === 'style') out.styles.push(text);
          else if (open.governed) out.scripts.push(text);
          open = undefined;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.end(html);
  return out;
}

/** The hashes one page needs. */
export interface PageHashes {
  scripts: string[];
  styles: string[];
  styleAttributes: string[];
}

export function pageHashes(code: InlineCode): PageHashes {
  const hash = (texts: string[]) => [...new Set(texts.map(sha256Source))];
  return { scripts: hash(code.scripts), styles: hash(code.styles), styleAttributes: hash(code.styleAttributes) };
}

/** Every page's hashes in one set (the header is the same for every page). */
export function unionHashes(pages: PageHashes[]): PageHashes {
  const all = (pick: (p: PageHashes) => string[]) => [...new Set(pages.flatMap(pick))].sort();
  return {
    scripts: all((p) => p.scripts),
    styles: all((p) => p.styles),
    styleAttributes: all((p) => p.styleAttributes),
  };
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

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}

const META_CSP = /<meta\s+http-equiv=(["']?)content-security-policy\1[^>]*>/gi;
const META_REFERRER = /<meta\s+name=(["']?)referrer\1[^>]*>/gi;
const META_CHARSET = /<meta\s+charset=(["']?)utf-8\1\s*\/?>/i;

/**
 * Writes the page's policy and `no-referrer` as the first elements after
 * `<meta charset>`, before every script (a meta CSP governs only what comes
 * after it), replacing any that were there.
 */
export function withSecurityMeta(html: string, policy: string): string {
  const stripped = html.replace(META_CSP, '').replace(META_REFERRER, '');
  const charset = META_CHARSET.exec(stripped);
  if (!charset) throw new Error('the page has no <meta charset="utf-8"> to put the Content-Security-Policy after');
  const at = charset.index + charset[0].length;
  const tags = `<meta http-equiv="content-security-policy" content="${escapeAttribute(policy)}"><meta name="referrer" content="no-referrer">`;
  return stripped.slice(0, at) + tags + stripped.slice(at);
}

const GENERATED =
  'Written by `npm run build` (src/build/security-headers.ts) from the clinic configuration and the built pages. Do not edit: build again.';

/**
 * `_headers` for static hosts (Netlify, Cloudflare Pages). On both, every
 * rule whose pattern matches applies, and a header named by two matching
 * rules gets both values joined with a comma. So the security headers go on
 * `/*` (every response, the 404 for an unknown address included), and
 * Cache-Control on rules that never overlap: `/_astro/*`, and every other
 * top-level entry of the build by name.
 */
export function renderHeadersFile(
  sets: Record<PathKind, HeaderSet>,
  topLevel: { files: string[]; folders: string[] },
): string {
  const { 'Cache-Control': _cache, ...page } = sets.document;
  const lines = [`# ${GENERATED}`, '# Docs: docs/deploy.md, "A static host".', '/*'];
  for (const [name, value] of Object.entries(page)) lines.push(`  ${name}: ${value}`);
  const cacheRule = (pattern: string, value: string) => lines.push(pattern, `  Cache-Control: ${value}`);
  cacheRule(`${ASSET_PREFIX}*`, CACHE_CONTROL.asset);
  cacheRule('/', CACHE_CONTROL.document);
  // The service worker is written after this file (it precaches the final pages), so it is named here whatever the listing.
  const files = new Set([...topLevel.files, WORKER_PATH.slice(1), MANIFEST_PATH.slice(1)]);
  for (const file of [...files].sort())
    if (file !== HEADERS_FILE) cacheRule(`/${file}`, CACHE_CONTROL[kindOf(`/${file}`)]);
  for (const folder of [...topLevel.folders].sort())
    if (`/${folder}/` !== ASSET_PREFIX) cacheRule(`/${folder}/*`, CACHE_CONTROL.document);
  return `${lines.join('\n')}\n`;
}

function nginxHeaders(set: HeaderSet, indent: string): string[] {
  // `always`: also on 404 and other error answers. Values carry no double quotes (origins and hashes cannot).
  return Object.entries(set).map(([name, value]) => `${indent}add_header ${name} "${value}" always;`);
}

/**
 * The nginx locations file, included inside a `server { }` whose `root` is
 * the built site (deploy/nginx/clara.conf). nginx drops a server's
 * `add_header` lines in any location that has its own, so every location
 * here carries its whole set.
 */
export function renderNginx(sets: Record<PathKind, HeaderSet>, languages: readonly string[]): string {
  const block = (comment: string, head: string, kind: PathKind, extra: string[] = []) => [
    `# ${comment}`,
    `${head} {`,
    ...extra.map((line) => `    ${line}`),
    ...nginxHeaders(sets[kind], '    '),
    '}',
    '',
  ];
  return [
    `# Clara: headers and locations. ${GENERATED}`,
    '# Include it inside the server block that serves the built site (deploy/nginx/clara.conf).',
    '',
    'index index.html;',
    '# Redirects (/en/results → /en/results/) keep the address the browser asked for, whatever port or proxy is in front.',
    'absolute_redirect off;',
    'server_tokens off;',
    'charset utf-8;',
    '# The bilingual page for an unknown address, with status 404.',
    'error_page 404 /404.html;',
    '',
    'gzip on;',
    'gzip_vary on;',
    'gzip_comp_level 6;',
    'gzip_min_length 256;',
    'gzip_types text/css application/javascript text/javascript application/json application/manifest+json image/svg+xml text/plain;',
    '',
    ...block(
      'Pages (directory indexes land here as …/index.html) and the 404 page.',
      'location ~ \\.html$',
      'document',
    ),
    ...block('Content-hashed scripts and styles: kept a year.', `location ^~ ${ASSET_PREFIX}`, 'asset'),
    ...block(
      'The service worker: revalidated on every check, so an update reaches the patient.',
      `location = ${WORKER_PATH}`,
      'worker',
    ),
    ...block(
      "The web app manifest (Debian's mime.types does not know .webmanifest).",
      `location = ${MANIFEST_PATH}`,
      'manifest',
      ['types { }', 'default_type application/manifest+json;'],
    ),
    '# The static-host header file is for other hosts, not a page.',
    `location = /${HEADERS_FILE} {`,
    '    return 404;',
    '}',
    '',
    ...languages.flatMap((lang) =>
      block(`An unknown address under /${lang}/ gets the ${lang} 404 page.`, `location /${lang}/`, 'static', [
        `error_page 404 /${lang}/404/index.html;`,
      ]),
    ),
    ...block('Everything else: icons, the glossary JSON, directories before their index.', 'location /', 'static'),
  ].join('\n');
}

/** What the project's own static server reads (scripts/lib/static-server.ts). */
export interface HeadersJson {
  $comment: string;
  sets: Record<PathKind, HeaderSet>;
}

export function renderHeadersJson(sets: Record<PathKind, HeaderSet>): string {
  return `${JSON.stringify({ $comment: GENERATED, sets } satisfies HeadersJson, null, 2)}\n`;
}
