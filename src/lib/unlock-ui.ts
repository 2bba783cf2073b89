/**
 * "Open your saved information" (components/Unlock.astro): opens the copy
 * kept on this device with the screen lock or the Clara PIN, says
 * "Opening…" while it works (600,000 rounds of PBKDF2 take a while on a slow
 * phone), refuses a second press meanwhile, warns from the third wrong PIN
 * and says so when the fifth erased the copy. Loaded only where a locked
 * copy is kept and the patient may open it.
 */
import type { Opened } from './store/lock.ts';
import { NOTICE } from './storage-keys.ts';

export interface UnlockOptions {
  /** What follows opening (default: the page's islands render, focus goes to the page's heading). */
  onOpen?: () => void;
  /** "Not now" (after sign-in): go on without opening the copy. */
  onSkip?: () => void;
}

function showPage(): void {
  dispatchEvent(new Event('clara:unlocked'));
  // The page's islands render now; its heading takes focus once it shows.
  let tries = 0;
  const focus = () => {
    const heading =
      [...document.querySelectorAll<HTMLElement>('main [data-island-root] h1, main h1')].find(
        (h) => h.offsetParent !== null,
      ) ?? document.querySelector<HTMLElement>('main');
    const island = document.querySelector('main [data-island-root]');
    if (island && !island.querySelector('h1') && island.childElementCount === 0 && tries++ < 20)
      return void setTimeout(focus, 100);
    if (!heading) return;
    if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    heading.focus();
  };
  setTimeout(focus, 0);
}

export function wireUnlock(box: HTMLElement, options: UnlockOptions = {}): void {
  if (box.dataset['wired']) return;
  box.dataset['wired'] = '1';
  const words = JSON.parse(box.dataset['words'] ?? '{}') as Record<string, string>;
  const status = box.querySelector<HTMLElement>('[data-unlock-status]');
  const problem = document.getElementById(box.dataset['problem'] ?? '');
  const form = box.querySelector<HTMLFormElement>('form[data-unlock-pin]');
  const pin = form?.querySelector<HTMLInputElement>('input');
  const keyButton = box.querySelector<HTMLButtonElement>('button[data-unlock-key]');
  const buttons = [...box.querySelectorAll<HTMLButtonElement>('button')];
  let busy = false;

  const say = (element: HTMLElement | null | undefined, text: string) => {
    if (!element) return;
    if (!text) return element.replaceChildren();
    const p = document.createElement('p');
    p.className = element === status ? 'status-line' : 'notice notice--alert';
    p.textContent = text;
    element.replaceChildren(p);
  };
  const setBusy = (on: boolean) => {
    busy = on;
    // aria-disabled, not disabled: the pressed button keeps focus.
    for (const button of buttons) button.setAttribute('aria-disabled', String(on));
    say(status, on ? (words['opening'] ?? '') : '');
  };

  const finish = (result: Opened) => {
    setBusy(false);
    if (result.ok) {
      say(problem, '');
      (options.onOpen ?? showPage)();
      return;
    }
    pin?.setAttribute('aria-invalid', 'true');
    if (result.gone || result.erased) {
      document.documentElement.removeAttribute('data-vault');
      if (options.onSkip) {
        // Just signed in: on to the page the patient wanted, which says what happened.
        if (result.erased) sessionStorage.setItem(NOTICE, 'erased-pins');
        return options.onSkip();
      }
      // Nothing left to open: the form goes, the words and "Sign in" stay.
      say(problem, words[result.erased ? 'erased' : 'gone'] ?? '');
      problem?.focus();
      return;
    }
    if (result.refused) return say(problem, words['refused'] ?? '');
    const left = result.left;
    const text =
      left === undefined
        ? words['wrong']
        : (
            words[`left_${new Intl.PluralRules(document.documentElement.lang).select(left)}`] ??
            words['left_other'] ??
            ''
          ).replace('{{count}}', String(left));
    say(problem, text ?? '');
    if (pin) {
      pin.value = '';
      pin.focus();
    }
  };

  const run = (work: (lock: typeof import('./store/lock.ts')) => Promise<Opened>) => {
    if (busy) return;
    setBusy(true);
    say(problem, '');
    import('./store/lock.ts').then(work).then(finish, () => finish({ ok: false, gone: true }));
  };

  form?.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = pin?.value.trim() ?? '';
    if (!/^\d{6}$/.test(value)) {
      pin?.setAttribute('aria-invalid', 'true');
      say(problem, words['format'] ?? '');
      pin?.focus();
      return;
    }
    pin?.removeAttribute('aria-invalid');
    run((lock) => lock.openWithPin(value));
  });
  keyButton?.addEventListener('click', () => run((lock) => lock.openWithScreenLock()));
  box.querySelector('[data-unlock-skip]')?.addEventListener('click', () => !busy && options.onSkip?.());
}
