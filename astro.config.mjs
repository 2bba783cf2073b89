// @ts-check
import { defineConfig } from 'astro/config';
import { loadConfig } from './src/build/config-file.ts';
import clara from './src/build/integration.ts';

// The clinic configuration, validated now: a wrong value stops the build here.
const clinic = loadConfig();

export default defineConfig({
  // Where the clinic publishes Clara (portal.url): links between the
  // languages are absolute, and the invitation prints this address.
  site: clinic.portal.url,
  output: 'static',
  trailingSlash: 'always',
  build: { format: 'directory', inlineStylesheets: 'never' },
  // Never fetch pages behind the patient's back: data costs them money.
  prefetch: false,
  devToolbar: { enabled: false },
  // No `security.csp`: Astro's meta came after the inline scripts, with hashes
  // that were not theirs. Clara's integration writes the policy from the built
  // pages instead (src/build/security-headers.ts).
  vite: {
    // No modulepreload polyfill: every browser Clara supports preloads modules itself.
    build: { modulePreload: false },
  },
  integrations: [clara(clinic)],
});
