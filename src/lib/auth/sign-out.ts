/**
 * Signing out erases everything Clara holds for this sign-in: the tokens,
 * this tab's data, and the copy kept on the device. Unsent messages would be
 * lost too, so the page asks first when there are some (see site.ts).
 */
import type { Lang } from '../i18n/langs.ts';
import { listItems } from '../messages/outbox.ts';
import { pathFor } from '../routes.ts';
import { initStorage } from '../store/device.ts';
import { idbWipe } from '../store/idb.ts';
import { clearSession, getSession } from './session.ts';

/** Messages written but not yet accepted by the clinic's server. */
export async function unsentCount(): Promise<number> {
  const session = getSession();
  if (!session) return 0;
  initStorage();
  return (await listItems(session.patientId)).filter((i) => i.state !== 'sent').length;
}

export async function signOut(lang: Lang): Promise<void> {
  clearSession();
  try {
    for (const key of Object.keys(sessionStorage)) if (key.startsWith('clara.')) sessionStorage.removeItem(key);
  } catch {
    // nothing stored
  }
  await idbWipe();
  document.documentElement.removeAttribute('data-showing-copy');
  location.assign(`${pathFor(lang, 'signIn')}?signed-out=1`);
}
