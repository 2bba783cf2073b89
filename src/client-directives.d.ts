import 'astro';

declare module 'astro' {
  interface AstroClientDirectives {
    /** Hydrate only when the tab holds a signed-in session (src/build/signed-in-directive.ts). */
    'client:signedin'?: boolean;
  }
}
