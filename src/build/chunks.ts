/**
 * How the browser's JavaScript is cut into files.
 *
 * Left to itself the bundler makes one file per set of pages sharing a
 * module: twenty small files on a results page. On a 400 ms round trip each
 * costs a request, and each is compressed alone, so brotli never sees the
 * whole. Clara names the pieces instead, by what they are for:
 *
 * - `site`: what every page runs (language, session flag, service worker,
 *   the words' formatting, the routes, whether the outbox may hold something);
 * - `store`: the device's storage (settings page and every island);
 * - `ui`: Preact and what every island shares (FHIR client, errors, saved copy,
 *   the stand-in that loads the failure message);
 * - `results`: what the results pages share (the FHIR mapping, the words
 *   for values and ranges, the glossary's loader);
 * - `people`: whom messages are with (the care team, names, roles, topics):
 *   every message page, the new-message and call-back forms included;
 * - `messages`: what the list and a conversation share to read and thread
 *   messages (the forms do not load it).
 *
 * The rest (sending, the outbox) the bundler groups by the pages that use it.
 *
 * Only code a page loads at start is grouped (`$initial`); code loaded on
 * demand (signing in again, signing out, the outbox) stays in files of its own.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { CodeSplittingOptions } from 'rolldown';
import type { Plugin } from 'vite';

const GROUPS: [name: string, test: RegExp][] = [
  [
    'site',
    /(virtual:clara\/client$)|([\\/]src[\\/](scripts[\\/]site\.ts|lib[\\/](i18n[\\/](langs|format)|prefs|routes|navigation|settings|signals|storage-keys|auth[\\/]session|messages[\\/]outbox-mark)\.ts)$)/,
  ],
  ['store', /[\\/]src[\\/]lib[\\/]store[\\/](kv|idb|device)\.ts$/],
  [
    'ui',
    /([\\/]node_modules[\\/]preact[\\/])|([\\/]src[\\/](lib[\\/](fhir[\\/](client|errors|text)|mount|unread|store[\\/](saved|seen))\.ts|islands[\\/]shared[\\/](usePatientData\.ts|SavedNote\.tsx|LazyProblem\.tsx|LazyListen\.tsx|DataState\.tsx)))/,
  ],
  [
    'results',
    /[\\/]src[\\/](lib[\\/](results[\\/](loinc|units|precision|flags|ranges|values|map-observation|fetch-list|words)|glossary-client)\.ts|islands[\\/]shared[\\/]Flag\.tsx)$/,
  ],
  // Whom messages are with: every message page, the forms included.
  ['people', /[\\/]src[\\/]lib[\\/]messages[\\/](topics|people|people-text|care-team)\.ts$/],
  // Reading conversations: the list and a conversation, not the forms.
  ['messages', /[\\/]src[\\/]lib[\\/]messages[\\/](message-parts|threads|inbox|load)\.ts$/],
];

export const codeSplitting: CodeSplittingOptions = {
  groups: GROUPS.map(([name, test], index) => ({
    name,
    test,
    tags: ['$initial'],
    priority: GROUPS.length - index,
  })),
};

/**
 * The page build's side (Astro renders pages in the server environments): the
 * styles every page shares — global.css and the frame's components' own
 * <style> (layouts/Base.astro, SiteHeader, MainNav, SiteFooter, Icon) —
 * in one stylesheet. Left to itself the bundler put the components' styles
 * in two more files (measured: 3,497 → 2,913 + 882 + 90 B brotli, two more
 * requests), each compressed alone.
 */
export const frameStyles: CodeSplittingOptions = {
  groups: [
    {
      name: 'site-styles',
      test: /[\\/]src[\\/](styles[\\/]global\.css|layouts[\\/]Base\.astro|components[\\/](SiteHeader|MainNav|SiteFooter|Icon)\.astro)/,
    },
  ],
};

/** Where the build says which source modules went into which browser file (read by `npm run bench`). */
export const CHUNK_REPORT = 'reports/chunks.json';

export interface ChunkReport {
  [file: string]: { modules: Record<string, number>; imports: string[]; dynamicImports: string[] };
}

/** Writes CHUNK_REPORT after the browser build: each file, its modules with their rendered sizes, its imports. */
export function chunkReport(): Plugin {
  return {
    name: 'clara:chunk-report',
    applyToEnvironment: (environment) => environment.name === 'client',
    generateBundle(_options, bundle) {
      const report: ChunkReport = {};
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const modules: Record<string, number> = {};
        for (const [id, info] of Object.entries(chunk.modules)) {
          if (info.renderedLength)
            modules[id.startsWith('\0') ? id.slice(1) : relative(process.cwd(), id)] = info.renderedLength;
        }
        report[chunk.fileName] = { modules, imports: chunk.imports, dynamicImports: chunk.dynamicImports };
      }
      mkdirSync('reports', { recursive: true });
      writeFileSync(CHUNK_REPORT, JSON.stringify(report, null, 1));
    },
  };
}

const PRELOAD_HELPER = '\0vite/preload-helper.js';

/**
 * Vite wraps every `import()` in a helper (0.8 KB brotli on every page) that
 * preloads the imported file's dependencies and styles. Clara's lazily
 * loaded files have no styles of their own (one stylesheet serves every
 * page) and their dependencies are already loaded, or arrive one round trip
 * later, off the critical path. So the helper just calls the import.
 */
export function plainDynamicImports(): Plugin {
  return {
    name: 'clara:plain-dynamic-imports',
    enforce: 'pre',
    // No list of files to preload either.
    configEnvironment: (name) => (name === 'client' ? { build: { modulePreload: false } } : undefined),
    resolveId: (id) => (id === PRELOAD_HELPER ? id : undefined),
    load: (id) => (id === PRELOAD_HELPER ? 'export const __vitePreload = (load) => load();' : undefined),
  };
}
