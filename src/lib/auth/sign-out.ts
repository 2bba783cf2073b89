/** Signing out forgets everything Clara holds for this sign-in in this tab. */
import type { Lang } from '../i18n/langs.ts';
import { pathFor } from '../routes.ts';
import { clearSession } from './session.ts';

export function signOut(lang: Lang): void {
  clearSession();
  try {
    for (const key of Object.keys(sessionStorage)) if (key.startsWith('clara.')) sessionStorage.removeItem(key);
  } catch {
    // nothing stored
  }
  location.assign(`${pathFor(lang, 'signIn')}?signed-out=1`);
}
