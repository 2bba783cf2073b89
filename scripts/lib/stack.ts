/**
 * Clara and its sandbox EHR side by side: the built portal (dist/) on one
 * port and the sandbox (FHIR + SMART) on another, as in production where the
 * EHR is another origin.
 */
import type { Server } from 'node:http';
import { launchSandbox } from '../../sandbox/launch.ts';
import { createStaticServer, listen, type ServedRequest } from './static-server.ts';

export interface Stack {
  portalUrl: string;
  sandboxUrl: string;
  /** Stops the sandbox and starts another on the same port, with these environment variables added (e.g. SANDBOX_DATA). */
  replaceSandbox: (env: NodeJS.ProcessEnv) => Promise<void>;
  close: () => Promise<void>;
}

/** The environment a build needs to talk to the sandbox on `sandboxPort`. */
export function sandboxBuildEnv(sandboxPort: number): NodeJS.ProcessEnv {
  const fhir = `http://localhost:${sandboxPort}/fhir/R4`;
  return { ...process.env, CLARA_FHIR_BASE_URL: fhir, CLARA_SMART_ISSUER: fhir };
}

export async function startStack(options: {
  port: number;
  sandboxPort: number;
  log?: (line: string) => void;
  /** Each request the portal answers (the benchmark counts them). */
  onRequest?: (request: ServedRequest) => void;
  /** Where browsers reach the portal and the sandbox when not on their own ports (the benchmark's link): the sandbox writes and accepts these. */
  publicOrigins?: { portal: string; sandbox: string };
}): Promise<Stack> {
  const log = options.log ?? console.log;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(options.port),
    SANDBOX_PORT: String(options.sandboxPort),
    ...(options.publicOrigins ? { PORTAL_PUBLIC_ORIGIN: options.publicOrigins.portal, SANDBOX_PUBLIC_ORIGIN: options.publicOrigins.sandbox } : {}),
  };
  let sandbox = await launchSandbox(env, log);
  const portal: Server = createStaticServer({ root: 'dist', port: options.port, ...(options.onRequest ? { onRequest: options.onRequest } : {}) });
  try {
    await listen(portal, options.port, '127.0.0.1', 'portal');
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  return {
    portalUrl: `http://localhost:${options.port}/`,
    sandboxUrl: `${sandbox.origin}/`,
    replaceSandbox: async (extra) => {
      await sandbox.close();
      sandbox = await launchSandbox({ ...env, ...extra }, log);
    },
    close: async () => {
      portal.closeAllConnections();
      await Promise.all([new Promise<void>((resolve) => portal.close(() => resolve())), sandbox.close()]);
    },
  };
}
