/// <reference types="astro/client" />

declare module 'virtual:clara/config' {
  const config: import('./lib/config/schema.ts').ClinicConfig;
  export default config;
}

declare module 'virtual:clara/client' {
  const client: import('./lib/settings.ts').ClientSettings;
  export default client;
}
