/**
 * Watches over a tab that shows patient data (signed in, or the kept copy
 * open), loaded by site.ts only then:
 *
 * - The time limit (WCAG 2.2.1): after `session.idleMinutes` without use
 *   (shorter on a shared device) Clara signs out; on the patient's own device
 *   it also locks the kept copy. Two minutes before, a modal dialog says in
 *   words how much time is left (announced once, as it opens; the words are
 *   updated without being read out again), keeps focus inside, and offers
 *   "I need more time" and "Sign out". Use is input, keys, pointer, touch or
 *   scroll in any of Clara's tabs (shared over the BroadcastChannel);
 *   background polling is not use, so an unattended tab stops renewing its
 *   sign-in.
 * - Other tabs: a sign-out in one ends the sign-in and closes the copy in
 *   every tab; an erased copy drops its key everywhere.
 */
import { CHANNEL, TAB, tell, type ClaraMessage } from '../channel.ts';
import { isLang, type Lang } from '../i18n/langs.ts';
import { clientSettings } from '../settings.ts';
import { deviceMode } from '../store/device.ts';
import { dropTabKey } from '../store/flag.ts';
import { activity } from './activity.ts';
import { queueRevocation } from './revoke.ts';
import { getSession } from './session.ts';

const WARN_MS = 2 * 60_000;
const CHECK_MS = 10_000;
/** Activity is told to other tabs at most this often. */
const SHARE_MS = 5_000;
const USE = ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart', 'scroll'] as const;

let started = false;
let ending = false;
let sharedAt = 0;
let returnFocus: HTMLElement | null = null;

const lang = (): Lang => {
  const value = document.documentElement.lang;
  return isLang(value) ? value : 'en';
};

const limitMs = () => clientSettings.idleMinutes[deviceMode() === 'own' ? 'own' : 'shared'] * 60_000;
const dialog = () => document.querySelector<HTMLDialogElement>('dialog[data-idle-dialog]');

function end(reason: 'idle' | 'elsewhere', keepVault: boolean, broadcast: boolean): void {
  if (ending) return;
  ending = true;
  // The tokens are put aside to revoke at once, before anything else can forget them.
  queueRevocation(getSession());
  dialog()?.close();
  void import('./sign-out.ts').then((m) => m.endSession(lang(), reason, { keepVault, broadcast }));
}

function used(share: boolean): void {
  activity.touch();
  const open = dialog();
  if (open?.open) close(open);
  const now = Date.now();
  if (share && now - sharedAt > SHARE_MS) {
    sharedAt = now;
    tell({ type: 'activity' });
  }
}

function close(box: HTMLDialogElement): void {
  box.close();
  returnFocus?.focus();
  returnFocus = null;
}

/** "2 minutes", "1 minute", "less than a minute", in the page's words. */
function timeLeft(box: HTMLDialogElement, ms: number): string {
  const words = JSON.parse(box.dataset['words'] ?? '{}') as Record<string, string>;
  const own = deviceMode() === 'own';
  if (ms < 60_000) return words[own ? 'soonOwn' : 'soon'] ?? '';
  // Rounded: "2 minutes" from 1½ minutes on, "1 minute" below that, then "less than a minute".
  const minutes = Math.round(ms / 60_000);
  const form = new Intl.PluralRules(document.documentElement.lang).select(minutes);
  return (words[`${own ? 'own' : 'shared'}_${form}`] ?? words[own ? 'own_other' : 'shared_other'] ?? '').replace(
    '{{count}}',
    String(minutes),
  );
}

function warn(box: HTMLDialogElement, left: number): void {
  const text = box.querySelector<HTMLElement>('[data-idle-text]');
  const words = timeLeft(box, left);
  if (text && text.textContent !== words) text.textContent = words;
  if (box.open) return;
  returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  box.showModal();
  box.querySelector<HTMLButtonElement>('button[value="more"]')?.focus();
}

function check(): void {
  if (ending) return;
  const limit = limitMs();
  activity.setLimit(limit);
  const idle = activity.idleMs();
  if (idle >= limit) return end('idle', true, true);
  const box = dialog();
  if (!box) return;
  if (idle >= limit - WARN_MS) warn(box, limit - idle);
  else if (box.open) close(box);
}

export function startGuard(): void {
  if (started) return;
  started = true;
  activity.setLimit(limitMs());
  const onUse = () => {
    // While the dialog asks, only its own buttons answer (tabbing to them is not an answer).
    if (!dialog()?.open) used(true);
  };
  for (const type of USE) addEventListener(type, onUse, { capture: true, passive: true });

  const box = dialog();
  box?.addEventListener('click', (event) => {
    const value = (event.target as HTMLElement).closest('button')?.value;
    if (value === 'more') used(true);
    if (value === 'end') {
      // The header's own "Sign out": it asks first when a message is not sent yet.
      close(box);
      const header = document.querySelector<HTMLButtonElement>('button[data-sign-out]');
      void import('./sign-out.ts').then((m) => (header ? m.askToSignOut(header) : m.signOut(lang())));
    }
  });
  // Tab goes round the dialog's two buttons (a modal dialog alone would let it leave for the browser's own controls).
  box?.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    const buttons = [...box.querySelectorAll<HTMLButtonElement>('button')];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = buttons[(at + (event.shiftKey ? -1 : 1) + buttons.length) % buttons.length];
    event.preventDefault();
    next?.focus();
  });
  // Escape means "not now": the same as asking for more time.
  box?.addEventListener('cancel', (event) => {
    event.preventDefault();
    used(true);
  });

  try {
    new BroadcastChannel(CHANNEL).onmessage = (event: MessageEvent<ClaraMessage>) => {
      const message = event.data;
      if (!message || message.from === TAB) return;
      if (message.type === 'activity') used(false);
      else if (message.type === 'signed-out') end('elsewhere', true, false);
      else if (message.type === 'vault-erased') {
        dropTabKey();
        // Showing the copy without a sign-in: there is nothing left to show.
        if (!getSession()) end('elsewhere', true, false);
      }
    };
  } catch {
    // No BroadcastChannel: each tab keeps its own time.
  }
  addEventListener('clara:idle', check);
  document.addEventListener('visibilitychange', check);
  setInterval(check, CHECK_MS);
}
