/**
 * The build step after `astro build` (run from Clara's integration, before
 * the service worker is built, so its precache sees the final pages): reads
 * every built page, writes its Content-Security-Policy and referrer `<meta>`
 * before every script, and writes the header files for the hosts, all from
 * security-headers.ts (the values), inline-code.ts (the hashes) and
 * header-files.ts (the renderings):
 *
 *   dist/_headers                           static hosts (Netlify, Cloudflare Pages)
 *   deploy/generated/clara-locations.conf   nginx, included by deploy/nginx/clara.conf
 *   deploy/generated/headers.json           the project's own static server (npm start, the bench)
 *
 * deploy/generated/ is not committed: it depends on the clinic's
 * configuration and on this build's inline scripts (docs/deploy.md).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ClinicConfig } from '../lib/config/schema.ts';
import {
  renderHeadersFile,
  renderHeadersJson,
  renderNginx,
  withSecurityMeta,
  type HeadersJson,
} from './header-files.ts';
import { inlineCode, pageHashes, unionHashes } from './inline-code.ts';
import { HEADERS_FILE, connectOrigins, contentSecurityPolicy, headerSets } from './security-headers.ts';

export const GENERATED_DIR = join('deploy', 'generated');
export const NGINX_LOCATIONS = 'clara-locations.conf';
export const HEADERS_JSON = 'headers.json';

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

export class InlineCodeError extends Error {
  override name = 'InlineCodeError';
}

/** Writes the meta tags into every page and the header files; returns what it wrote, for the build log. */
export function writeSecurity(dist: string, root: string, config: ClinicConfig): string[] {
  const pages = htmlFiles(dist).map((file) => {
    const html = readFileSync(file, 'utf8');
    const code = inlineCode(html);
    return { file, html, code, hashes: pageHashes(code) };
  });
  const problems = pages.flatMap((p) =>
    p.code.problems.map((problem) => `  - ${relative(dist, p.file).split(sep).join('/')}: ${problem}`),
  );
  if (problems.length) {
    throw new InlineCodeError(
      [
        'The Content-Security-Policy would block this markup, and no hash can allow it; Clara was not built:',
        ...problems,
      ].join('\n'),
    );
  }
  const origins = connectOrigins(config);
  for (const page of pages) {
    writeFileSync(page.file, withSecurityMeta(page.html, contentSecurityPolicy(origins, page.hashes, 'meta')));
  }
  const union = unionHashes(pages.map((p) => p.hashes));
  const sets = headerSets(origins, union);

  const top = readdirSync(dist, { withFileTypes: true });
  const topLevel = {
    files: top.filter((e) => e.isFile()).map((e) => e.name),
    folders: top.filter((e) => e.isDirectory()).map((e) => e.name),
  };
  writeFileSync(join(dist, HEADERS_FILE), renderHeadersFile(sets, topLevel));
  const out = join(root, GENERATED_DIR);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, NGINX_LOCATIONS), renderNginx(sets, config.languages));
  writeFileSync(join(out, HEADERS_JSON), renderHeadersJson(sets));
  return [
    `security: ${pages.length} pages, ${union.scripts.length} inline script hash${union.scripts.length === 1 ? '' : 'es'}; connect-src 'self' ${origins.join(' ')}`,
    `security: wrote dist/${HEADERS_FILE}, ${GENERATED_DIR}/${NGINX_LOCATIONS}, ${GENERATED_DIR}/${HEADERS_JSON}`,
  ];
}

/** The header sets the last build wrote, for the project's own static server; undefined when there is no build yet. */
export function readHeaderSets(root: string = process.cwd()): HeadersJson['sets'] | undefined {
  try {
    return (JSON.parse(readFileSync(join(root, GENERATED_DIR, HEADERS_JSON), 'utf8')) as HeadersJson).sets;
  } catch {
    return undefined;
  }
}
