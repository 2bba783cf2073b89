/**
 * The little script every page runs: remembers the language the patient
 * picks, and keeps the query string (e.g. `?id=`) when switching language so
 * the patient stays on the same result or conversation.
 */
import { isLang } from '../lib/i18n/langs.ts';
import { savePreference } from '../lib/prefs.ts';
import { getSession } from '../lib/auth/session.ts';

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

// "Sign out", on every page while signed in; asks first when messages are not sent yet.
for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-sign-out]')) {
  button.addEventListener('click', async () => {
    const lang = isLang(button.dataset['signOut']) ? (button.dataset['signOut'] as 'en' | 'es') : 'en';
    const { signOut, unsentCount } = await import('../lib/auth/sign-out.ts');
    const pending = await unsentCount();
    const dialog = document.querySelector<HTMLDialogElement>('dialog[data-sign-out-dialog]');
    if (!pending || !dialog) return void signOut(lang);
    const forms = JSON.parse(dialog.dataset['pending'] ?? '{}') as Record<string, string>;
    const question = dialog.querySelector('strong');
    const form = forms[new Intl.PluralRules(document.documentElement.lang).select(pending)] ?? forms['other'] ?? '';
    if (question) question.textContent = form.replace('{{count}}', String(pending));
    dialog.showModal();
    dialog.querySelector<HTMLButtonElement>('button[value="cancel"]')?.focus();
    dialog.onclick = (event) => {
      const value = (event.target as HTMLElement).closest('button')?.value;
      if (value === 'confirm') void signOut(lang);
      if (value === 'cancel') {
        dialog.close();
        button.focus();
      }
    };
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

// Offline: said in words on every page, and gone when the connection is back.
const offlineStatus = document.querySelector<HTMLElement>('[data-offline-status]');
function showConnection(): void {
  if (!offlineStatus) return;
  if (navigator.onLine) offlineStatus.replaceChildren();
  else if (!offlineStatus.firstChild) {
    const p = document.createElement('p');
    p.className = 'notice notice--note';
    p.textContent = offlineStatus.dataset['text'] ?? '';
    offlineStatus.replaceChildren(p);
  }
}
showConnection();
addEventListener('online', showConnection);
addEventListener('offline', showConnection);

// The service worker: pages and scripts for offline use. A new version waits for the patient's "Update".
const updateStatus = document.querySelector<HTMLElement>('[data-update-status]');
function offerUpdate(worker: ServiceWorker): void {
  if (!updateStatus || updateStatus.firstChild) return;
  const box = document.createElement('div');
  box.className = 'notice notice--note update-banner';
  const text = document.createElement('p');
  text.textContent = updateStatus.dataset['text'] ?? '';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button';
  button.textContent = updateStatus.dataset['button'] ?? '';
  button.addEventListener('click', () => {
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
    worker.postMessage({ type: 'SKIP_WAITING' });
  });
  box.append(text, button);
  updateStatus.replaceChildren(box);
}

if ('serviceWorker' in navigator) {
  const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
  navigator.serviceWorker
    .register(`${base}sw.js`, { scope: base, updateViaCache: 'none' })
    .then((registration) => {
      if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration.waiting);
      registration.addEventListener('updatefound', () => {
        const worker = registration.installing;
        worker?.addEventListener('statechange', () => {
          if (worker.state === 'installed' && navigator.serviceWorker.controller) offerUpdate(worker);
        });
      });
    })
    .catch(() => undefined);
  // Background Sync asks an open page to send the outbox (the worker holds no token).
  navigator.serviceWorker.addEventListener('message', (event) => {
    if ((event.data as { type?: string } | undefined)?.type === 'flush-outbox') void import('../lib/messages/start.ts').then((m) => m.sendOutbox());
  });
}

// Messages written earlier go out when Clara starts.
if (getSession()) void import('../lib/messages/start.ts').then((m) => m.sendOutbox());
