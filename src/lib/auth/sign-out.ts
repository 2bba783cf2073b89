/**
 * Signing out ends everything Clara holds for the sign-in, at once and
 * offline too: patient data leaves the screen; the tokens are revoked at the
 * clinic's server (now, or when the connection returns: revoke.ts); this
 * tab's data, the copy kept on the device and Clara's runtime caches are
 * erased; other tabs are told (BroadcastChannel) and sign out too. Only the
 * device's preferences stay (text size, colours, language, device choice).
 *
 * The time limit (guard.ts) signs out the same way, but on the patient's own
 * device it only locks the copy kept there (`keepVault`).
 *
 * Unsent messages would be lost, so the page asks first when there are some.
 */
import { tell } from '../channel.ts';
import { isLang, type Lang } from '../i18n/langs.ts';
import { listItems } from '../messages/outbox.ts';
import { clearOutboxMark, outboxMayWait } from '../messages/outbox-mark.ts';
import { pathFor } from '../routes.ts';
import { readFlag, tabKey } from '../store/flag.ts';
import { queueRevocation } from './revoke.ts';
import { clearSession, getSession, personKey } from './session.ts';
import { REVOKE } from '../storage-keys.ts';

/** Messages written but not yet accepted by the clinic's server (in this tab's store or the open copy). */
export async function unsentCount(): Promise<number> {
  const session = getSession();
  if (!session) return 0;
  return (await listItems(personKey(session))).filter((i) => i.state !== 'sent').length;
}

/** A copy is kept here but not open in this tab, and it may hold a message not sent yet (that cannot be counted while locked). */
export function lockedCopyMayHoldUnsent(): boolean {
  return !!readFlag() && !tabKey() && outboxMayWait();
}

export type EndReason = 'signed-out' | 'elsewhere' | 'idle';

/** Clara's own runtime caches (never the precache of the app itself). */
async function clearRuntimeCaches(): Promise<void> {
  try {
    for (const name of await caches.keys()) if (name.startsWith('clara-')) await caches.delete(name);
  } catch {
    // No Cache Storage here.
  }
}

export async function endSession(
  lang: Lang,
  reason: EndReason,
  options: { keepVault: boolean; broadcast: boolean },
): Promise<void> {
  const root = document.documentElement;
  // The screen first: nothing of the patient stays on it, even for a moment.
  for (const island of document.querySelectorAll('[data-island-root]')) island.replaceChildren();
  root.removeAttribute('data-showing-copy');
  root.removeAttribute('data-unlocked');
  queueRevocation(getSession());
  clearSession();
  try {
    // This tab's data and the copy's key; only the tokens still to revoke stay, in this tab.
    for (const key of Object.keys(sessionStorage))
      if (key.startsWith('clara.') && key !== REVOKE) sessionStorage.removeItem(key);
  } catch {
    // nothing stored
  }
  if (!options.keepVault) {
    await (await import('../store/vault.ts')).eraseVault();
    clearOutboxMark();
  }
  await clearRuntimeCaches();
  if (options.broadcast) tell({ type: 'signed-out', keepVault: options.keepVault });
  location.assign(`${pathFor(lang, 'signIn')}?signed-out=${reason === 'signed-out' ? '1' : reason}`);
}

export function signOut(lang: Lang): Promise<void> {
  return endSession(lang, 'signed-out', { keepVault: false, broadcast: true });
}

/**
 * The header's "Sign out" button: signs out at once, or, when messages are
 * not sent yet, asks in the page's dialog ("1 message is not sent yet…").
 */
export async function askToSignOut(button: HTMLButtonElement): Promise<void> {
  const lang = button.dataset['signOut'];
  const pageLang: Lang = isLang(lang) ? lang : 'en';
  const pending = await unsentCount();
  const locked = !pending && lockedCopyMayHoldUnsent();
  const dialog = document.querySelector<HTMLDialogElement>('dialog[data-sign-out-dialog]');
  if ((!pending && !locked) || !dialog) return signOut(pageLang);
  const forms = JSON.parse(dialog.dataset['pending'] ?? '{}') as Record<string, string>;
  const question = dialog.querySelector('strong');
  const form = locked
    ? (dialog.dataset['locked'] ?? '')
    : (forms[new Intl.PluralRules(document.documentElement.lang).select(pending)] ?? forms['other'] ?? '');
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
