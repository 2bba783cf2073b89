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

// Printing shows everything: folded tables ("Show as a table") open for the paper, then fold again.
addEventListener('beforeprint', () => {
  for (const details of document.querySelectorAll<HTMLDetailsElement>('details:not([open])')) {
    details.open = true;
    details.dataset['printOpened'] = '';
  }
});
addEventListener('afterprint', () => {
  for (const details of document.querySelectorAll<HTMLDetailsElement>('details[data-print-opened]')) {
    details.open = false;
    delete details.dataset['printOpened'];
  }
});

// The unread count in the navigation, as the message pages last saw it.
function showUnread(count: number): void {
  const link = document.querySelector<HTMLAnchorElement>('a[data-nav="messages"]');
  if (!link) return;
  link.querySelector('.nav-count')?.remove();
  if (!count || !document.documentElement.hasAttribute('data-signed-in')) return;
  const badge = document.createElement('span');
  badge.className = 'nav-count';
  const words = link.dataset['unreadWords'] ? (JSON.parse(link.dataset['unreadWords']) as Record<string, string>) : {};
  const rule = new Intl.PluralRules(document.documentElement.lang).select(count);
  badge.textContent = (words[rule] ?? words['other'] ?? '{{count}}').replace('{{count}}', String(count));
  link.querySelector('span')?.after(badge);
}
try {
  showUnread(Number(sessionStorage.getItem('clara.unread') ?? 0));
} catch {
  // no count yet
}
addEventListener('clara:unread', (event) => showUnread((event as CustomEvent<number>).detail));
