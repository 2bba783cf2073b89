/**
 * `client:signedin`: hydrate an island only when this tab holds a signed-in
 * session, so signed-out visitors never download patient-data code.
 */
import type { ClientDirective } from 'astro';

const signedIn: ClientDirective = (load) => {
  let session: string | null = null;
  try {
    session = sessionStorage.getItem('clara.session');
  } catch {
    session = null;
  }
  if (session) void load().then((hydrate) => hydrate());
};

export default signedIn;
