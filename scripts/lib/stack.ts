/**
 * Clara and its sandbox EHR side by side: the built portal (dist/) on one
 * port and the sandbox (FHIR + SMART) on another, as in production where the
 * EHR is another origin. The portal is served by the project's own static
 * server (npm start, the bench) or by nginx with the shipped configuration
 * (the e2e tests).
 */
import { spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { launchSandbox } from '../../sandbox/launch.ts';
import { startNginx } from './nginx.ts';
import { createStaticServer, listen, type ServedRequest } from './static-server.ts';

export type PortalServer = 'node' | 'nginx';

export interface Stack {
  portalUrl: string;
  sandboxUrl: string;
  /** Stops the sandbox and starts another on the same port, with these environment variables added (e.g. SANDBOX_DATA). */
  replaceSandbox: (env: NodeJS.ProcessEnv) => Promise<void>;
  close: () => Promise<void>;
}

/**
 * The environment a build needs to talk to the sandbox on `sandboxPort`, and
 * to know it is served on `portalPort` (the invitation's address and QR code).
 */
export function sandboxBuildEnv(sandboxPort: number, portalPort: number): NodeJS.ProcessEnv {
  const fhir = `http://localhost:${sandboxPort}/fhir/R4`;
  return {
    ...process.env,
    CLARA_FHIR_BASE_URL: fhir,
    CLARA_SMART_ISSUER: fhir,
    CLARA_PORTAL_URL: `http://localhost:${portalPort}`,
  };
}

export async function startStack(options: {
  port: number;
  sandboxPort: number;
  log?: (line: string) => void;
  /** Each request the portal answers (the benchmark counts them; the node server only). */
  onRequest?: (request: ServedRequest) => void;
  /** Where browsers reach the portal and the sandbox when not on their own ports (the benchmark's link): the sandbox writes and accepts these. */
  publicOrigins?: { portal: string; sandbox: string };
  /** Runs the sandbox in a process of its own, so that its searches (synchronous, up to seconds) never hold up the portal or the caller (the benchmark). */
  sandboxProcess?: boolean;
  /** Who serves the portal: the project's own server (default) or nginx with the shipped configuration. */
  server?: PortalServer;
  /** The sandbox's profile (full, strict-ehr, no-messages); default SANDBOX_PROFILE, else full. */
  profile?: string;
}): Promise<Stack> {
  const log = options.log ?? console.log;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(options.port),
    SANDBOX_PORT: String(options.sandboxPort),
    ...(options.profile ? { SANDBOX_PROFILE: options.profile } : {}),
    ...(options.publicOrigins
      ? { PORTAL_PUBLIC_ORIGIN: options.publicOrigins.portal, SANDBOX_PUBLIC_ORIGIN: options.publicOrigins.sandbox }
      : {}),
  };
  const start = (extra: NodeJS.ProcessEnv = {}) =>
    options.sandboxProcess ? spawnSandbox({ ...env, ...extra }, log) : launchSandbox({ ...env, ...extra }, log);
  let sandbox: { close: () => Promise<void> } = await start();
  let closePortal: () => Promise<void>;
  try {
    if (options.server === 'nginx') {
      const nginx = await startNginx({ root: 'dist', port: options.port });
      closePortal = nginx.close;
    } else {
      const portal: Server = createStaticServer({
        root: 'dist',
        port: options.port,
        ...(options.onRequest ? { onRequest: options.onRequest } : {}),
      });
      await listen(portal, options.port, '127.0.0.1', 'portal');
      closePortal = async () => {
        portal.closeAllConnections();
        await new Promise<void>((resolve) => portal.close(() => resolve()));
      };
    }
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  return {
    portalUrl: `http://localhost:${options.port}/`,
    sandboxUrl: `${options.publicOrigins?.sandbox ?? `http://localhost:${options.sandboxPort}`}/`,
    replaceSandbox: async (extra) => {
      await sandbox.close();
      sandbox = await start(extra);
    },
    close: async () => {
      await Promise.all([closePortal(), sandbox.close()]);
    },
  };
}

/** `node sandbox/main.ts` with `env`, resolved when it says where it listens; closed with SIGTERM (and when this process exits). */
async function spawnSandbox(
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<{ close: () => Promise<void> }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('../../sandbox/main.ts', import.meta.url))], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kill = () => child.kill('SIGTERM');
  process.on('exit', kill);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (data: Buffer) => {
      for (const line of data.toString().split('\n')) if (line.trim()) log(line);
      output += data.toString();
      if (/Sandbox EHR .* at /.test(output)) resolve();
    });
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    child.once('exit', (code) =>
      reject(new Error(`The sandbox stopped (exit ${code}): ${output.trim().split('\n').slice(-3).join(' ')}`)),
    );
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        process.off('exit', kill);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
