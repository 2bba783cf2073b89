/**
 * Clara and its sandbox EHR side by side: the built portal (dist/) on one
 * port and the sandbox (FHIR + SMART) on another, as in production where the
 * EHR is another origin. The portal is served by the project's own static
 * server (npm start, the bench) or by nginx with the shipped configuration
 * (the e2e tests).
 */
import type { Server } from 'node:http';
import { launchSandbox } from '../../sandbox/launch.ts';
import { startNginx } from './nginx.ts';
import { createStaticServer, listen, type ServedRequest } from './static-server.ts';

export type PortalServer = 'node' | 'nginx';

export interface Stack {
  portalUrl: string;
  sandboxUrl: string;
  close: () => Promise<void>;
}

/**
 * The environment a build needs to talk to the sandbox on `sandboxPort`, and
 * to know it is served on `portalPort` (the invitation's address and QR code).
 */
export function sandboxBuildEnv(sandboxPort: number, portalPort: number): NodeJS.ProcessEnv {
  const fhir = `http://localhost:${sandboxPort}/fhir/R4`;
  return { ...process.env, CLARA_FHIR_BASE_URL: fhir, CLARA_SMART_ISSUER: fhir, CLARA_PORTAL_URL: `http://localhost:${portalPort}` };
}

export async function startStack(options: {
  port: number;
  sandboxPort: number;
  log?: (line: string) => void;
  /** Each request the portal answers (the benchmark counts them; the node server only). */
  onRequest?: (request: ServedRequest) => void;
  /** Who serves the portal: the project's own server (default) or nginx with the shipped configuration. */
  server?: PortalServer;
  /** The sandbox's profile (full, strict-ehr, no-messages); default SANDBOX_PROFILE, else full. */
  profile?: string;
}): Promise<Stack> {
  const log = options.log ?? console.log;
  const sandbox = await launchSandbox(
    { ...process.env, PORT: String(options.port), SANDBOX_PORT: String(options.sandboxPort), ...(options.profile ? { SANDBOX_PROFILE: options.profile } : {}) },
    log,
  );
  let closePortal: () => Promise<void>;
  try {
    if (options.server === 'nginx') {
      const nginx = await startNginx({ root: 'dist', port: options.port });
      closePortal = nginx.close;
    } else {
      const portal: Server = createStaticServer({ root: 'dist', port: options.port, ...(options.onRequest ? { onRequest: options.onRequest } : {}) });
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
    sandboxUrl: `${sandbox.origin}/`,
    close: async () => {
      await Promise.all([closePortal(), sandbox.close()]);
    },
  };
}
