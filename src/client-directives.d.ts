import 'astro';

declare module 'astro' {
  interface AstroClientDirectives {
    /** Hydrate only when there is patient data to show: a session, or a copy kept on this device (src/build/patient-directive.ts). */
    'client:patient'?: boolean;
  }
}
