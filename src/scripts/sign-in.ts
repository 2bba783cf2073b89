/**
 * The sign-in page: starts SMART sign-in from the button; finishes it when
 * the clinic sends the patient back here; deals with a copy kept on this
 * device (another patient's is erased first; the owner's may be opened now,
 * or "Not now"); says why the patient is here (signed out, here or in
 * another tab, or for lack of use; session ended); and goes on to the page
 * the patient wanted.
 */
import { clearSession, getSession, isCaregiver, ownerKey } from '../lib/auth/session.ts';
import { safeReturnPath } from '../lib/auth/return-to.ts';
import { completeSignIn, isCallback, startSignIn } from '../lib/auth/smart.ts';
import { SignInError } from '../lib/auth/sign-in-error.ts';
import { isLang } from '../lib/i18n/langs.ts';
import { clientSettings, smartSettings } from '../lib/settings.ts';
import { deviceMode } from '../lib/store/device.ts';
import { readFlag } from '../lib/store/flag.ts';
import { NOTICE } from '../lib/storage-keys.ts';
import type { SignInKeys } from './sign-in.keys.ts';

const form = document.querySelector<HTMLFormElement>('form[data-sign-in-form]');
const status = document.querySelector<HTMLElement>('[data-sign-in-status]');
const notice = document.querySelector<HTMLElement>('[data-sign-in-notice]');
const messages = JSON.parse(document.getElementById('sign-in-messages')?.textContent ?? '{}') as Partial<
  Record<SignInKeys, string>
>;

function say(element: HTMLElement | null, text: string, tone: 'note' | 'alert' | 'ok' = 'note', focus = false): void {
  if (!element) return;
  const p = document.createElement('p');
  p.className = `notice notice--${tone}`;
  p.textContent = text;
  element.replaceChildren(p);
  if (focus) element.focus();
}

function errorText(error: unknown): string {
  const kind = error instanceof SignInError ? error.kind : 'exchange';
  return messages[`error.${kind}`] ?? messages['error.exchange'] ?? '';
}

/**
 * Just signed in, on a device that keeps a copy: another patient's is erased
 * (the next page says so); the owner's date moves on; where this tab has not
 * opened it, the patient may open it now or go on with this tab only.
 */
async function keptCopy(next: string): Promise<void> {
  const session = getSession();
  if (!session || !readFlag()) return location.replace(next);
  const vault = await import('../lib/store/vault.ts');
  // The copy's owner is who signed in: a caregiver switching between the people she helps keeps it.
  const outcome = await vault.afterSignIn(
    { issuer: session.issuer, patientId: ownerKey(session) },
    clientSettings.keepDays,
  );
  if (outcome === 'erased-other') sessionStorage.setItem(NOTICE, 'erased-other');
  if (outcome !== 'locked') return location.replace(next);
  const box = document.querySelector<HTMLElement>('[data-unlock-after]');
  const unlock = box?.querySelector<HTMLElement>('[data-unlock]');
  if (!box || !unlock) return location.replace(next);
  status?.replaceChildren();
  box.hidden = false;
  unlock.querySelector<HTMLElement>('h2')?.focus();
  const { wireUnlock } = await import('../lib/unlock-ui.ts');
  // "Not now": this tab keeps its own data this time; the copy stays as it is, locked.
  wireUnlock(unlock, { onOpen: () => location.replace(next), onSkip: () => location.replace(next) });
}

if (form && status) {
  const lang = form.dataset['lang'] ?? 'en';
  const home = form.dataset['home'] ?? '/';
  const url = new URL(location.href);
  const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
  const redirectUri = `${location.origin}${location.pathname}`;
  const signedOut = url.searchParams.get('signed-out');

  if (isCallback(url)) {
    // Coming back from the clinic: finish, then go on (the code must not stay in the address bar).
    history.replaceState(null, '', location.pathname);
    say(status, messages['status.completing'] ?? '');
    completeSignIn(smartSettings, url).then(
      async (returnTo) => {
        // A caregiver: whose record is open, and who she is, for the line on every page.
        const session = getSession();
        if (session && isCaregiver(session))
          await (await import('../lib/fhir/caregiver.ts')).rememberCaregiver(smartSettings);
        return keptCopy(safeReturnPath(returnTo, base, home));
      },
      (error: unknown) => {
        document.documentElement.removeAttribute('data-signed-in');
        say(status, '');
        status.replaceChildren();
        say(notice, errorText(error), 'alert', true);
      },
    );
  } else if (url.searchParams.has('switch') && getSession()) {
    // "See someone else's information": a new sign-in, where the clinic asks whose information to open
    // (a caregiver's patient picker). The first person's data leaves this tab now, and their tokens are
    // revoked on the next page; what she wrote for them stays, kept under their name (session.ts, personKey).
    history.replaceState(null, '', location.pathname);
    const session = getSession();
    void import('../lib/auth/revoke.ts')
      .then(({ queueRevocation }) => {
        queueRevocation(session);
        clearSession();
        say(status, messages['status.redirecting'] ?? '');
        return startSignIn(smartSettings, {
          lang: isLang(lang) ? lang : 'en',
          redirectUri,
          returnTo: home,
          device: deviceMode(),
        });
      })
      .catch((error: unknown) => {
        status.replaceChildren();
        say(notice, errorText(error), 'alert', true);
      });
  } else if (signedOut) {
    const key =
      signedOut === 'elsewhere'
        ? 'status.signedOutElsewhere'
        : signedOut === 'idle'
          ? readFlag()
            ? 'status.signedOutIdleLocked'
            : 'status.signedOutIdle'
          : 'status.signedOut';
    say(notice, messages[key] ?? '', 'ok', true);
  } else if (url.searchParams.get('reason') === 'expired' && !getSession()) {
    say(notice, messages['status.expired'] ?? '', 'note', true);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const button = form.querySelector('button');
    if (button) button.disabled = true;
    notice?.replaceChildren();
    say(status, messages['status.redirecting'] ?? '');
    const returnTo = safeReturnPath(url.searchParams.get('return'), base, home);
    startSignIn(smartSettings, { lang: isLang(lang) ? lang : 'en', redirectUri, returnTo, device: deviceMode() }).catch(
      (error: unknown) => {
        if (button) button.disabled = false;
        status.replaceChildren();
        say(notice, errorText(error), 'alert', true);
      },
    );
  });
}
