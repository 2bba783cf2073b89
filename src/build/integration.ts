/**
 * Clara's Astro integration: serves the validated clinic configuration to
 * pages as `virtual:clara/config` (and the browser's part as
 * `virtual:clara/client`), cuts the browser's JavaScript into files by
 * purpose (chunks.ts), and after the site is built links each page's
 * JavaScript and FHIR server in its <head> (preload.ts), writes each page's
 * Content-Security-Policy and the hosts' header files (security-files.ts),
 * then builds the service worker.
 */
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import {
  CHUNK_REPORT,
  chunkReport,
  codeSplitting,
  frameStyles,
  plainDynamicImports,
  type ChunkReport,
} from './chunks.ts';
import { writePreloads } from './preload.ts';
import { writeSecurity } from './security-files.ts';
import { buildServiceWorker } from './service-worker.ts';
import type { AstroIntegration } from 'astro';
import type { ClinicConfig } from '../lib/config/schema.ts';

const VIRTUAL_ID = 'virtual:clara/config';
const RESOLVED_ID = `\0${VIRTUAL_ID}`;
/** Only what the browser needs to sign in and reach the FHIR server (islands import this, not the whole config). */
const CLIENT_ID = 'virtual:clara/client';
const RESOLVED_CLIENT_ID = `\0${CLIENT_ID}`;

export default function clara(config: ClinicConfig): AstroIntegration {
  let root = process.cwd();
  return {
    name: 'clara',
    hooks: {
      'astro:config:setup': ({ config: astroConfig, updateConfig, logger }) => {
        root = fileURLToPath(astroConfig.root);
        logger.info(`clinic: ${config.clinic.name}; languages: ${config.languages.join(', ')}`);
        updateConfig({
          vite: {
            environments: {
              client: { build: { rolldownOptions: { output: { codeSplitting } } } },
              prerender: { build: { rolldownOptions: { output: { codeSplitting: frameStyles } } } },
              ssr: { build: { rolldownOptions: { output: { codeSplitting: frameStyles } } } },
            },
            plugins: [
              chunkReport(),
              plainDynamicImports(),
              {
                name: 'clara:config',
                resolveId: (id: string) =>
                  id === VIRTUAL_ID ? RESOLVED_ID : id === CLIENT_ID ? RESOLVED_CLIENT_ID : undefined,
                load: (id: string) => {
                  if (id === RESOLVED_ID) return `export default ${JSON.stringify(config)};`;
                  if (id === RESOLVED_CLIENT_ID) {
                    const client = {
                      issuer: config.smart.issuer,
                      clientId: config.smart.clientId,
                      fhirBaseUrl: config.fhir.baseUrl,
                      offlineAccess: config.smart.offlineAccess,
                      timeoutMs: config.fhir.timeoutSeconds * 1000,
                      keepDays: config.device.keepDays,
                      idleMinutes: config.session.idleMinutes,
                    };
                    return `export default ${JSON.stringify(client)};`;
                  }
                  return undefined;
                },
              },
            ],
          },
        });
      },
      'astro:build:done': async ({ dir, logger }) => {
        // The pages are final before the service worker's precache hashes them.
        const report = JSON.parse(readFileSync(CHUNK_REPORT, 'utf8')) as ChunkReport;
        logger.info(writePreloads(fileURLToPath(dir), report, config.fhir.baseUrl));
        for (const line of writeSecurity(fileURLToPath(dir), root, config)) logger.info(line);
        await buildServiceWorker(dir, (line) => logger.info(line));
      },
    },
  };
}
