/**
 * The sandbox's own pages (sign-in, choosing whose information) wear Clara's
 * styles: src/styles/global.css with its imports put in place, as the build
 * does (`@import '…' layer(x)` as `@layer x { … }`), and the frame's own
 * styles from the components that hold them (the page column and the
 * header: layouts/Base.astro, components/SiteHeader.astro), so the sandbox
 * serves one stylesheet without a bundler.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GLOBAL = fileURLToPath(new URL('../src/styles/global.css', import.meta.url));
const FRAME = ['../src/layouts/Base.astro', '../src/components/SiteHeader.astro'].map((path) =>
  fileURLToPath(new URL(path, import.meta.url)),
);

/** A stylesheet with each `@import './file.css';` (or `… layer(name);`) replaced by that file. */
function inlined(file: string): string {
  return readFileSync(file, 'utf8').replace(
    /^@import '([^']+)'(?: layer\((\w+)\))?;$/gm,
    (_, path: string, layer: string | undefined) => {
      const css = inlined(join(dirname(file), path));
      return layer ? `@layer ${layer} {\n${css}\n}` : css;
    },
  );
}

/** global.css inlined, then the frame components' `<style is:global>` (in their layer already). */
export function clarasStyle(): string {
  const frame = FRAME.map((file) => /<style is:global>([\s\S]*?)<\/style>/.exec(readFileSync(file, 'utf8'))?.[1] ?? '');
  return [inlined(GLOBAL), ...frame].join('\n');
}
