/**
 * The sign-in page: starts SMART sign-in from the button; finishes it when
 * the clinic sends the patient back here; says why the patient is here
 * (signed out, session ended); and goes on to the page the patient wanted.
 */
import { getSession } from '../lib/auth/session.ts';
import { safeReturnPath } from '../lib/auth/return-to.ts';
import { SignInError, completeSignIn, isCallback, startSignIn } from '../lib/auth/smart.ts';
import { isLang } from '../lib/i18n/langs.ts';
import { smartSettings } from '../lib/settings.ts';

const form = document.querySelector<HTMLFormElement>('form[data-sign-in-form]');
const status = document.querySelector<HTMLElement>('[data-sign-in-status]');
const notice = document.querySelector<HTMLElement>('[data-sign-in-notice]');
const messages = JSON.parse(document.getElementById('sign-in-messages')?.textContent ?? '{}') as Record<string, string>;

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

if (form && status) {
  const lang = form.dataset['lang'] ?? 'en';
  const home = form.dataset['home'] ?? '/';
  const url = new URL(location.href);
  const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
  const redirectUri = `${location.origin}${location.pathname}`;

  if (isCallback(url)) {
    // Coming back from the clinic: finish, then go on (the code must not stay in the address bar).
    history.replaceState(null, '', location.pathname);
    say(status, messages['completing'] ?? '');
    completeSignIn(smartSettings, url).then(
      (returnTo) => location.replace(safeReturnPath(returnTo, base, home)),
      (error: unknown) => {
        document.documentElement.removeAttribute('data-signed-in');
        say(status, '');
        status.replaceChildren();
        say(notice, errorText(error), 'alert', true);
      },
    );
  } else if (url.searchParams.has('signed-out')) {
    say(notice, messages['signedOut'] ?? '', 'ok', true);
  } else if (url.searchParams.get('reason') === 'expired' && !getSession()) {
    say(notice, messages['expired'] ?? '', 'note', true);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const button = form.querySelector('button');
    if (button) button.disabled = true;
    notice?.replaceChildren();
    say(status, messages['redirecting'] ?? '');
    const returnTo = safeReturnPath(url.searchParams.get('return'), base, home);
    startSignIn(smartSettings, { lang: isLang(lang) ? lang : 'en', redirectUri, returnTo }).catch((error: unknown) => {
      if (button) button.disabled = false;
      status.replaceChildren();
      say(notice, errorText(error), 'alert', true);
    });
  });
}
