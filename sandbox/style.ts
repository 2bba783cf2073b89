/**
 * The sandbox's own pages (sign-in, choosing whose information) wear Clara's
 * styles: src/styles/global.css with its imports put in place, as the build
 * does, so the sandbox serves one stylesheet without a bundler.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GLOBAL = fileURLToPath(new URL('../src/styles/global.css', import.meta.url));

/** global.css with each `@import './file.css';` replaced by that file. */
export function clarasStyle(file = GLOBAL): string {
  return readFileSync(file, 'utf8').replace(/^@import '([^']+)';$/gm, (_, path: string) =>
    clarasStyle(join(dirname(file), path)),
  );
}
