/** Runs the project's own tools (node_modules/.bin) with output shown. */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export function bin(name: string): string {
  return join(process.cwd(), 'node_modules', '.bin', name);
}

/** The environment with the project's own tools (and its own Node) first on PATH. */
function withTools(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, PATH: [join(process.cwd(), 'node_modules', '.bin'), env['PATH'] ?? ''].join(delimiter) };
}

/**
 * Runs a command, streaming its output; returns its exit status. The
 * project's own tools (and its own Node, node_modules/.bin/node) come first
 * on PATH, also when a script was started without npm.
 */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const result = spawnSync(command, args, { stdio: 'inherit', env: withTools(env) });
  if (result.error) console.error(`Could not run ${command}: ${result.error.message}`);
  return result.status ?? 1;
}

/** `astro build`, quietly; returns its exit status. */
export function buildSite(env: NodeJS.ProcessEnv = process.env): number {
  return run(bin('astro'), ['build', '--silent'], env);
}

/**
 * `astro build` in the background, its output kept in a file until it is
 * asked for (a file, not a pipe: nothing needs to read it while the unit
 * tests hold this process): `npm test` builds while the unit tests run,
 * which on two cores takes less time than one after the other.
 */
export function buildSiteInBackground(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ status: number; output: string }> {
  const log = join(mkdtempSync(join(tmpdir(), 'clara-build-')), 'build.log');
  const fd = openSync(log, 'w');
  return new Promise((resolve) => {
    const child = spawn(bin('astro'), ['build', '--silent'], {
      env: withTools(env),
      stdio: ['ignore', fd, fd],
    });
    const done = (status: number, extra = '') => {
      closeSync(fd);
      resolve({ status, output: readFileSync(log, 'utf8') + extra });
    };
    child.on('error', (error) => done(1, `Could not run astro: ${error.message}\n`));
    child.on('close', (code) => done(code ?? 1));
  });
}
