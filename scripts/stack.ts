/**
 * Serves the built portal and runs the sandbox beside it (used by the e2e
 * tests and the benchmark):
 * `node scripts/stack.ts --port 4410 --sandbox-port 4412 [--server nginx|node] [--profile strict-ehr]`.
 * Build first with the sandbox's address (see scripts/lib/stack.ts, sandboxBuildEnv).
 */
import { parseArgs } from 'node:util';
import { runUntilStopped } from '../sandbox/until-stopped.ts';
import { startStack } from './lib/stack.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env['PORT'] ?? '4321' },
    'sandbox-port': { type: 'string', default: process.env['SANDBOX_PORT'] ?? '4322' },
    server: { type: 'string', default: 'node' },
    profile: { type: 'string' },
  },
});
const server = values.server === 'nginx' ? 'nginx' : 'node';
await runUntilStopped(async () => {
  const stack = await startStack({
    port: Number(values.port),
    sandboxPort: Number(values['sandbox-port']),
    server,
    ...(values.profile ? { profile: values.profile } : {}),
  });
  console.log(`Clara at ${stack.portalUrl} (${server})`);
  return stack;
});
