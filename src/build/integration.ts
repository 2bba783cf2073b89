/**
 * Clara's Astro integration: serves the validated clinic configuration to
 * pages as `virtual:clara/config`, adds the `client:patient` hydration
 * directive, and builds the service worker after the site.
 */
import { fileURLToPath } from 'node:url';
import { buildServiceWorker } from './service-worker.ts';
import type { AstroIntegration } from 'astro';
import type { ClinicConfig } from '../lib/config/schema.ts';

const VIRTUAL_ID = 'virtual:clara/config';
const RESOLVED_ID = `\0${VIRTUAL_ID}`;

export default function clara(config: ClinicConfig): AstroIntegration {
  return {
    name: 'clara',
    hooks: {
      'astro:config:setup': ({ updateConfig, addClientDirective, logger }) => {
        logger.info(`clinic: ${config.clinic.name}; languages: ${config.languages.join(', ')}`);
        addClientDirective({ name: 'patient', entrypoint: fileURLToPath(new URL('./patient-directive.ts', import.meta.url)) });
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'clara:config',
                resolveId: (id: string) => (id === VIRTUAL_ID ? RESOLVED_ID : undefined),
                load: (id: string) =>
                  id === RESOLVED_ID ? `export default ${JSON.stringify(config)};` : undefined,
              },
            ],
          },
        });
      },
      'astro:build:done': async ({ dir, logger }) => {
        await buildServiceWorker(dir, (line) => logger.info(line));
      },
    },
  };
}
