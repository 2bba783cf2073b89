/** Moving the patient between pages from scripts and islands. */
import type { Lang } from './i18n/langs.ts';
import { pathFor } from './routes.ts';

/** The sign-in page, asked to bring the patient back here afterwards. */
export function signInHref(lang: Lang, reason?: 'expired', here: Location = location): string {
  const params = new URLSearchParams({ return: here.pathname + here.search });
  if (reason) params.set('reason', reason);
  return `${pathFor(lang, 'signIn')}?${params.toString()}`;
}

/** Sends the patient to sign in again after the session ended, to come back here. */
export function goToSignIn(lang: Lang, reason: 'expired' = 'expired'): void {
  location.assign(signInHref(lang, reason));
}
