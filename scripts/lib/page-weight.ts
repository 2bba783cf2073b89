/**
 * What a first visit to a built page downloads: the HTML, its stylesheets,
 * its scripts and everything they import statically (islands included), each
 * measured raw, gzip and brotli. Pure file reading over dist/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { CHUNK_REPORT, type ChunkReport } from '../../src/build/chunks.ts';

export interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
}

export interface PageWeight {
  html: Sizes;
  css: Sizes;
  js: Sizes;
  total: Sizes;
  /** Every file a first visit fetches (besides the HTML), by kind. */
  files: { path: string; kind: 'css' | 'js' | 'other'; sizes: Sizes }[];
}

const cache = new Map<string, Sizes>();

export function sizesOf(content: Buffer): Sizes {
  return {
    raw: content.length,
    gzip: gzipSync(content, { level: 9 }).length,
    brotli: brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** A built file's sizes, raw, gzip and brotli (`path` is site-absolute). */
export function fileSizes(dist: string, path: string): Sizes {
  const cached = cache.get(path);
  if (cached) return cached;
  const sizes = sizesOf(readFileSync(join(dist, path)));
  cache.set(path, sizes);
  return sizes;
}

const add = (a: Sizes, b: Sizes): Sizes => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });
export const ZERO: Sizes = { raw: 0, gzip: 0, brotli: 0 };

/** Site-absolute paths of a JS module's static imports (`import … from "./x.js"`, `import "./x.js"`, `export … from "./x.js"`). */
function staticImports(dist: string, path: string): string[] {
  const code = readFileSync(join(dist, path), 'utf8');
  const dir = path.slice(0, path.lastIndexOf('/') + 1);
  const out: string[] = [];
  for (const match of code.matchAll(
    /(?:^|[;\s}])(?:import\s*(?:[\w*{}\s,$]+from\s*)?|export\s*[\w*{}\s,$]+from\s*)["']([^"']+)["']/g,
  )) {
    const spec = match[1] ?? '';
    if (spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/')) {
      out.push(new URL(spec, `http://x${dir}`).pathname);
    }
  }
  return out;
}

/** Every module reachable from `roots` through static imports. */
function closure(dist: string, roots: Iterable<string>): string[] {
  const seen = new Set<string>();
  const queue = [...roots].filter((p) => p.startsWith('/'));
  while (queue.length) {
    const path = queue.shift() as string;
    if (seen.has(path)) continue;
    seen.add(path);
    queue.push(...staticImports(dist, path));
  }
  return [...seen];
}

/**
 * The page's JavaScript by what asks for it: `site` (the script every page
 * runs, src/scripts/site.ts), then each other module script, named after the
 * island it mounts or the script it is (from the build's chunk report,
 * src/build/chunks.ts), each with the files it needs beyond those listed before.
 */
export function scriptsByRoot(dist: string, html: string): { name: string; files: string[] }[] {
  const roots = [...new Set([...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1] ?? ''))].map((root) => {
    const files = closure(dist, [root]);
    const modules = files.flatMap((f) => Object.keys(chunkReport()?.[f.replace(/^\//, '')]?.modules ?? {}));
    const island = modules.map((id) => /^src\/islands\/(\w+)\.tsx$/.exec(id)?.[1]).find(Boolean);
    const script = modules
      .map((id) => /^src\/scripts\/([\w-]+)\.ts$/.exec(id)?.[1])
      .find((name) => !!name && name !== 'site');
    const name = island ?? (modules.includes('src/scripts/site.ts') && !script ? 'site' : (script ?? 'page'));
    return { name, files };
  });
  roots.sort((a, b) => Number(b.name === 'site') - Number(a.name === 'site'));
  const taken = new Set<string>();
  return roots.map(({ name, files }) => {
    const own = files.filter((f) => !taken.has(f));
    for (const f of own) taken.add(f);
    return { name, files: own };
  });
}

let report: ChunkReport | undefined | null;

/** The build's chunk report (which source modules are in which file), when the build wrote one. */
function chunkReport(): ChunkReport | undefined {
  if (report === undefined) {
    try {
      report = JSON.parse(readFileSync(CHUNK_REPORT, 'utf8')) as ChunkReport;
    } catch {
      report = null;
    }
  }
  return report ?? undefined;
}

/**
 * The JavaScript written into the page itself (Astro's island loader, the
 * settings applied before the first paint), measured on its own: it travels
 * inside the HTML but it is JavaScript the page runs.
 */
export function inlineScripts(html: string): Sizes {
  const code = [...html.matchAll(/<script(?![^>]*\bsrc=)(?![^>]*type="application\/json")[^>]*>([\s\S]*?)<\/script>/g)]
    .map((m) => m[1] ?? '')
    .join('\n');
  return code.trim() ? sizesOf(Buffer.from(code)) : ZERO;
}

/** The JS modules a page loads at start: module scripts, island components and renderers, and their static imports. */
export function pageScripts(dist: string, html: string): string[] {
  return scriptsByRoot(dist, html).flatMap((g) => g.files);
}

export function pageStyles(html: string): string[] {
  return [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1] ?? '');
}

export function pageWeight(dist: string, htmlPath: string): PageWeight {
  const htmlBuffer = readFileSync(join(dist, htmlPath));
  const html = htmlBuffer.toString('utf8');
  const files: PageWeight['files'] = [
    ...pageStyles(html).map((path) => ({ path, kind: 'css' as const, sizes: fileSizes(dist, path) })),
    ...pageScripts(dist, html).map((path) => ({ path, kind: 'js' as const, sizes: fileSizes(dist, path) })),
  ];
  const htmlSizes = sizesOf(htmlBuffer);
  const css = files.filter((f) => f.kind === 'css').reduce((sum, f) => add(sum, f.sizes), ZERO);
  const js = files.filter((f) => f.kind === 'js').reduce((sum, f) => add(sum, f.sizes), ZERO);
  return { html: htmlSizes, css, js, total: add(add(htmlSizes, css), js), files };
}

/** The source modules (e.g. `src/islands/ResultsList.tsx`) in the JavaScript a page loads at start, from the build's chunk report. */
export function pageModules(dist: string, html: string): string[] {
  const report = chunkReport();
  if (!report)
    throw new Error(
      `${CHUNK_REPORT} is missing: build Clara first (npm run build), it writes which modules each file holds.`,
    );
  return pageScripts(dist, html).flatMap((f) => Object.keys(report[f.replace(/^\//, '')]?.modules ?? {}));
}

/**
 * Whether a page shows patient data, decided from the build rather than a
 * list: it mounts an island (a component in src/islands/, shared pieces
 * aside) and its start-up JavaScript holds the FHIR client, so what the
 * island shows comes from the patient's record. Such pages have the larger
 * JavaScript budget (bench/budgets.json, `javascriptBytes`).
 */
export function showsPatientData(dist: string, html: string): boolean {
  const modules = pageModules(dist, html);
  return modules.some((m) => /^src\/islands\/[^/]+\.tsx$/.test(m)) && modules.includes('src/lib/fhir/client.ts');
}
