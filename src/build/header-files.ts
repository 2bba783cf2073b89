/**
 * The security headers written out for each way Clara is served: the
 * `<meta>` tags in each page, `_headers` for static hosts, the nginx
 * locations file, and the JSON the project's own static server reads
 * (scripts/lib/static-server.ts). The values come from security-headers.ts.
 */
import { ASSET_PREFIX, CACHE_CONTROL, HEADERS_FILE, MANIFEST_PATH, WORKER_PATH, kindOf } from './security-headers.ts';
import type { HeaderSet, PathKind } from './security-headers.ts';

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
