/**
 * Builds the service worker after `astro build`: bundles src/sw/sw.ts with
 * esbuild, then Workbox's injectManifest writes the precache list (every
 * page shell, style, script and icon, with content revisions) into it.
 *
 * Why not @vite-pwa/astro: it does not accept Astro 7 without an npm
 * override, and it would generate more than Clara needs. This is one small,
 * explicit step.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { injectManifest } from 'workbox-build';

/** Also each language's whole glossary: the result page reads it offline too, and no request says which test was opened. */
export const PRECACHE_PATTERNS = ['**/*.{html,js,css,svg,webmanifest}', '*/labs/glossary.json'];
/** Not precached: the worker itself. */
export const PRECACHE_IGNORES = ['sw.js'];

export async function buildServiceWorker(dist: URL, log: (line: string) => void): Promise<void> {
  const out = fileURLToPath(new URL('sw.js', dist));
  await build({
    entryPoints: [fileURLToPath(new URL('../sw/sw.ts', import.meta.url))],
    outfile: out,
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    logLevel: 'silent',
  });
  const { count, size, warnings } = await injectManifest({
    swSrc: out,
    swDest: out,
    globDirectory: fileURLToPath(dist),
    globPatterns: PRECACHE_PATTERNS,
    globIgnores: PRECACHE_IGNORES,
  });
  for (const warning of warnings) log(`service worker: ${warning}`);
  log(`service worker: ${count} files precached (${Math.round(size / 1024)} KB)`);
}
