/**
 * The little script every page runs: remembers the language the patient
 * picks, and keeps the query string (e.g. `?id=`) when switching language so
 * the patient stays on the same result or conversation.
 */
import { isLang } from '../lib/i18n/langs.ts';
import { savePreference } from '../lib/prefs.ts';
import { signOut } from '../lib/auth/sign-out.ts';

for (const link of document.querySelectorAll<HTMLAnchorElement>('a[data-lang-switch]')) {
  if (location.search || location.hash) {
    link.href = link.pathname + location.search + location.hash;
  }
}

document.addEventListener('click', (event) => {
  const link = (event.target as Element | null)?.closest?.('a[data-lang-switch], a[data-lang-choice]');
  const lang = link?.getAttribute('data-lang-switch') ?? link?.getAttribute('data-lang-choice');
  if (isLang(lang)) savePreference('lang', lang);
});

// "Try again" on the offline page reloads the page the patient asked for.
for (const retry of document.querySelectorAll<HTMLAnchorElement>('a[data-retry]')) {
  retry.addEventListener('click', (event) => {
    event.preventDefault();
    location.reload();
  });
}

// "Sign out", on every page while signed in.
for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-sign-out]')) {
  button.addEventListener('click', () => {
    const lang = button.dataset['signOut'];
    signOut(isLang(lang) ? lang : 'en');
  });
}

// Sign-in links come back to this very page, query string included (?id=…).
for (const link of document.querySelectorAll<HTMLAnchorElement>('a[data-return-here]')) {
  if (location.search) {
    const url = new URL(link.href);
    url.searchParams.set('return', location.pathname + location.search);
    link.href = url.pathname + url.search;
  }
}
