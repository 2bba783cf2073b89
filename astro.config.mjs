// @ts-check
import { defineConfig } from 'astro/config';
import { loadConfig } from './src/build/config-file.ts';
import clara from './src/build/integration.ts';

// The clinic configuration, validated now: a wrong value stops the build here.
const clinic = loadConfig();
const origins = [...new Set([clinic.fhir.baseUrl, clinic.smart.issuer].map((u) => new URL(u).origin))];

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
  security: {
    // A Content-Security-Policy <meta> on every page, with hashes of its
    // scripts: nothing but this site and the clinic's FHIR/SMART server.
    csp: {
      directives: [
        "default-src 'self'",
        `connect-src 'self' ${origins.join(' ')}`,
        "img-src 'self' data: blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
      ],
    },
  },
  vite: {
    // No modulepreload polyfill: every browser Clara supports preloads modules itself.
    build: { modulePreload: false },
  },
  integrations: [clara(clinic)],
});
