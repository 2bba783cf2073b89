/** Runs the project's own tools (node_modules/.bin) with output shown. */
import { spawnSync } from 'node:child_process';
import { delimiter, join } from 'node:path';

export function bin(name: string): string {
  return join(process.cwd(), 'node_modules', '.bin', name);
}

/**
 * Runs a command, streaming its output; returns its exit status. The
 * project's own tools (and its own Node, node_modules/.bin/node) come first
 * on PATH, also when a script was started without npm.
 */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const path = [join(process.cwd(), 'node_modules', '.bin'), env['PATH'] ?? ''].join(delimiter);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...env, PATH: path } });
  if (result.error) console.error(`Could not run ${command}: ${result.error.message}`);
  return result.status ?? 1;
}

/** `astro build`, quietly; returns its exit status. */
export function buildSite(env: NodeJS.ProcessEnv = process.env): number {
  return run(bin('astro'), ['build', '--silent'], env);
}
