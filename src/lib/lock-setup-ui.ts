/**
 * Setting the lock of the copy kept on the patient's own device
 * (components/LockSetup.astro), from Home's device question and from
 * Settings: the phone's screen lock where it can keep Clara's key, else (or
 * by choice) a 6-digit Clara PIN typed twice. Nothing is kept beyond this
 * tab until a lock is set; then what this tab kept moves into the copy.
 */
import { getSession, ownerKey } from './auth/session.ts';
import { clientSettings } from './settings.ts';
import type { LockKind } from './store/flag.ts';

export interface SetupOptions {
  onDone: (lock: LockKind) => void;
  onCancel: () => void;
}

const show = (element: Element | null | undefined, on: boolean) => element?.toggleAttribute('hidden', !on);

function focusOn(element: HTMLElement | null | undefined): void {
  if (!element) return;
  if (!element.matches('input, button') && !element.hasAttribute('tabindex')) element.setAttribute('tabindex', '-1');
  element.focus();
}

/** What the one lock form of the page answers to now (Settings may open it more than once). */
let current: SetupOptions | undefined;
let busy = false;

export async function startLockSetup(box: HTMLElement, options: SetupOptions): Promise<void> {
  current = options;
  busy = false;
  const words = JSON.parse(box.dataset['words'] ?? '{}') as Record<string, string>;
  const heading = box.querySelector<HTMLElement>('[data-lock-heading]');
  const keyChoice = box.querySelector<HTMLElement>('[data-lock-key-choice]');
  const form = box.querySelector<HTMLFormElement>('form[data-lock-pin-form]');
  const [first, second] = [...(form?.querySelectorAll<HTMLInputElement>('input') ?? [])];
  const problem = box.querySelector<HTMLElement>('[data-lock-problem]');
  const status = box.querySelector<HTMLElement>('[data-lock-status]');

  const say = (element: HTMLElement | null, text: string, tone?: string) => {
    if (!element) return;
    if (!text) return element.replaceChildren();
    const p = document.createElement('p');
    if (tone) p.className = `notice notice--${tone}`;
    p.textContent = text;
    element.replaceChildren(p);
  };
  const lockModule = import('./store/lock.ts');
  const owner = () => {
    const session = getSession();
    return session ? { issuer: session.issuer, patientId: ownerKey(session) } : undefined;
  };
  const keep = async (made: { lock: import('./store/vault-rules.ts').Lock; dek: Uint8Array<ArrayBuffer> }) => {
    const vault = await import('./store/vault.ts');
    return vault.createVault(made.dek, made.lock, owner(), clientSettings.keepDays);
  };
  const usePin = (reason?: string) => {
    show(keyChoice, false);
    show(form, true);
    say(problem, reason ?? '', 'alert');
    focusOn(reason ? first : heading);
  };
  const finish = (lock: LockKind) => {
    busy = false;
    say(status, '');
    show(box, false);
    current?.onDone(lock);
  };
  const failed = () => {
    busy = false;
    say(status, '');
    say(problem, words['failed'] ?? '', 'alert');
  };

  show(box, true);
  show(form, false);
  show(keyChoice, false);
  say(problem, '');
  if (first) first.value = '';
  if (second) second.value = '';
  const lock = await lockModule;
  if (await lock.screenLockAvailable()) {
    show(keyChoice, true);
    focusOn(heading);
  } else usePin();

  if (box.dataset['wired']) return;
  box.dataset['wired'] = '1';

  box.querySelector('button[data-lock-key]')?.addEventListener('click', async () => {
    if (busy) return;
    busy = true;
    say(problem, '');
    say(status, words['working'] ?? '');
    const made = await lock.newScreenLock(document.title.split(' — ').pop() ?? 'Clara');
    if (made === 'no-prf' || made === 'cancelled') {
      busy = false;
      say(status, '');
      return usePin(words['keyFailed']);
    }
    if (await keep(made)) finish('key');
    else failed();
  });
  box.querySelector('button[data-lock-pin-instead]')?.addEventListener('click', () => !busy && usePin());
  box.querySelector('button[data-lock-cancel]')?.addEventListener('click', () => {
    if (busy) return;
    show(box, false);
    current?.onCancel();
  });
  form?.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy || !first || !second) return;
    const pin = first.value.trim();
    first.removeAttribute('aria-invalid');
    second.removeAttribute('aria-invalid');
    if (!/^\d{6}$/.test(pin)) {
      first.setAttribute('aria-invalid', 'true');
      say(problem, words['format'] ?? '', 'alert');
      return focusOn(first);
    }
    if (second.value.trim() !== pin) {
      second.setAttribute('aria-invalid', 'true');
      second.value = '';
      say(problem, words['mismatch'] ?? '', 'alert');
      return focusOn(second);
    }
    busy = true;
    say(problem, '');
    say(status, words['working'] ?? '');
    if (await keep(await lock.newPinLock(pin))) {
      first.value = second.value = '';
      finish('pin');
    } else failed();
  });
}
