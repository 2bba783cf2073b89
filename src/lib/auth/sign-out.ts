/**
 * Signing out erases everything Clara holds for this sign-in: the tokens,
 * this tab's data, and the copy kept on the device. Unsent messages would be
 * lost too, so the page asks first when there are some.
 */
import { isLang, type Lang } from '../i18n/langs.ts';
import { listItems } from '../messages/outbox.ts';
import { clearOutboxMark } from '../messages/outbox-mark.ts';
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
  clearOutboxMark();
  document.documentElement.removeAttribute('data-showing-copy');
  location.assign(`${pathFor(lang, 'signIn')}?signed-out=1`);
}

/**
 * The header's "Sign out" button: signs out at once, or, when messages are
 * not sent yet, asks in the page's dialog ("1 message is not sent yet…").
 */
export async function askToSignOut(button: HTMLButtonElement): Promise<void> {
  const lang = button.dataset['signOut'];
  const pageLang: Lang = isLang(lang) ? lang : 'en';
  const pending = await unsentCount();
  const dialog = document.querySelector<HTMLDialogElement>('dialog[data-sign-out-dialog]');
  if (!pending || !dialog) return signOut(pageLang);
  const forms = JSON.parse(dialog.dataset['pending'] ?? '{}') as Record<string, string>;
  const question = dialog.querySelector('strong');
  const form = forms[new Intl.PluralRules(document.documentElement.lang).select(pending)] ?? forms['other'] ?? '';
  if (question) question.textContent = form.replace('{{count}}', String(pending));
  dialog.showModal();
  dialog.querySelector<HTMLButtonElement>('button[value="cancel"]')?.focus();
  dialog.onclick = (event) => {
    const value = (event.target as HTMLElement).closest('button')?.value;
    if (value === 'confirm') void signOut(pageLang);
    if (value === 'cancel') {
      dialog.close();
      button.focus();
    }
  };
}
