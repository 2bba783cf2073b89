/**
 * The build's preload step (src/build/preload.ts): each page's <head> names
 * every file its module scripts import at start (one round trip for the
 * whole chain, not one per level), never the files loaded with import(),
 * and opens the FHIR server's connection only on pages that read it.
 */
import { describe, expect, test } from 'vitest';
import type { ChunkReport } from '../../src/build/chunks.ts';
import { staticClosure, withPreloads } from '../../src/build/preload.ts';

const report: ChunkReport = {
  '_astro/page.js': {
    modules: { 'src/islands/ResultsList.tsx': 100 },
    imports: ['_astro/ui.js', '_astro/site.js'],
    dynamicImports: ['_astro/trend.js'],
  },
  '_astro/ui.js': {
    modules: { 'src/lib/fhir/client.ts': 100 },
    imports: ['_astro/site.js', '_astro/store.js'],
    dynamicImports: [],
  },
  '_astro/store.js': { modules: { 'src/lib/store/kv.ts': 10 }, imports: ['_astro/site.js'], dynamicImports: [] },
  '_astro/site.js': { modules: { 'src/scripts/site.ts': 10 }, imports: [], dynamicImports: ['_astro/guard.js'] },
  '_astro/Base.js': { modules: {}, imports: ['_astro/site.js'], dynamicImports: [] },
  '_astro/trend.js': { modules: {}, imports: [], dynamicImports: [] },
  '_astro/settings.js': { modules: { 'src/pages/settings.ts': 10 }, imports: ['_astro/site.js'], dynamicImports: [] },
};

const page = (scripts: string[]) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>T</title><script>1</script></head><body>${scripts.map((s) => `<script type="module" src="/_astro/${s}"></script>`).join('')}</body></html>`;

describe('preload links', () => {
  test('the whole static graph, each file once, no file loaded by import()', () => {
    expect(staticClosure(report, ['_astro/page.js', '_astro/Base.js'])).toEqual([
      '_astro/page.js',
      '_astro/ui.js',
      '_astro/site.js',
      '_astro/store.js',
      '_astro/Base.js',
    ]);
  });

  test('a page with patient data: preconnect (crossorigin, as the FHIR client asks) first, then every file, in <head>', () => {
    const html = withPreloads(page(['page.js', 'Base.js']), report, 'https://ehr.example.org');
    const head = html.slice(0, html.indexOf('</head>'));
    expect(head).toContain(
      '</title><link rel="preconnect" href="https://ehr.example.org" crossorigin><link rel="modulepreload" href="/_astro/page.js">',
    );
    expect([...head.matchAll(/rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1])).toEqual([
      '/_astro/page.js',
      '/_astro/ui.js',
      '/_astro/site.js',
      '/_astro/store.js',
      '/_astro/Base.js',
    ]);
    expect(head).not.toContain('trend.js');
    expect(head).not.toContain('guard.js');
  });

  test('a page without patient data: its files, no connection to the FHIR server; a page without scripts is unchanged', () => {
    const html = withPreloads(page(['settings.js']), report, 'https://ehr.example.org');
    expect(html).not.toContain('preconnect');
    expect(html).toContain('<link rel="modulepreload" href="/_astro/site.js">');
    expect(withPreloads(page([]), report, 'https://ehr.example.org')).toBe(page([]));
  });

  test('a site served from a sub-folder keeps its prefix', () => {
    const html = withPreloads(
      page(['settings.js']).replaceAll('/_astro/', '/portal/_astro/'),
      report,
      'https://ehr.example.org',
    );
    expect(html).toContain('<link rel="modulepreload" href="/portal/_astro/site.js">');
  });
});
