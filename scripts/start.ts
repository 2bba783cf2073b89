/**
 * `npm start`: builds Clara pointed at the sandbox EHR, starts the sandbox
 * (SANDBOX_PORT, default 4322) and the portal (PORT, default 4321), and
 * prints both addresses and the sample patients. Ctrl-C stops both.
 */
import { runUntilStopped } from '../sandbox/until-stopped.ts';
import { buildSite } from './lib/run.ts';
import { portIsFree } from './lib/static-server.ts';
import { sandboxBuildEnv, startStack } from './lib/stack.ts';

const port = Number(process.env['PORT'] ?? 4321);
const sandboxPort = Number(process.env['SANDBOX_PORT'] ?? 4322);

// Say so now, not after a build, when a port is taken.
for (const [name, value, variable] of [
  ['portal', port, 'PORT'],
  ['sandbox EHR', sandboxPort, 'SANDBOX_PORT'],
] as const) {
  if (!(await portIsFree(value))) {
    console.error(
      `Port ${value} is already in use, so the ${name} cannot start. Stop the program using it, or set ${variable} to another port.`,
    );
    process.exit(1);
  }
}

console.log('Building Clara…');
if (buildSite(sandboxBuildEnv(sandboxPort, port)) !== 0) {
  console.error('The build failed; see the message above.');
  process.exit(1);
}

await runUntilStopped(async () => {
  const stack = await startStack({ port, sandboxPort });
  console.log(`\nClara is running: ${stack.portalUrl}`);
  console.log(`Its sandbox EHR:  ${stack.sandboxUrl}`);
  console.log('Open Clara, choose "Sign in", and pick a sample patient. Press Ctrl-C to stop.');
  return stack;
});
