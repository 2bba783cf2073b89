/**
 * Clara's Astro integration: validates the clinic configuration before the
 * build starts and serves it to pages as `virtual:clara/config`.
 */
import { fileURLToPath } from 'node:url';
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
        addClientDirective({ name: 'signedin', entrypoint: fileURLToPath(new URL('./signed-in-directive.ts', import.meta.url)) });
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
    },
  };
}
