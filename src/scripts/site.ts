/**
 * The little script every page runs: remembers the language the patient
 * picks (keeping `?id=` when switching, so they stay on the same result),
 * shows the unread count, says when there is no connection, registers the
 * service worker and offers its updates, and sends the outbox on start.
 * It erases a kept copy past its date, revokes tokens a sign-out left to
 * revoke, and, where patient data is on screen, starts the time limit and
 * listens to other tabs (auth/guard.ts).
 * Everything else (signing out, sending) loads when it is needed.
 */
import { isLang } from '../lib/i18n/langs.ts';
import { savePreference } from '../lib/prefs.ts';
import { getSession } from '../lib/auth/session.ts';
import { outboxMayWait } from '../lib/messages/outbox-mark.ts';
import { relationWord } from '../lib/relation-words.ts';
import { NOTICE, REVOKE, UNREAD, VAULT_FLAG } from '../lib/storage-keys.ts';

const $ = <T extends Element = HTMLElement>(selector: string) => document.querySelector<T>(selector);
const $$ = <T extends Element = HTMLAnchorElement>(selector: string) => document.querySelectorAll<T>(selector);

for (const link of $$('a[data-lang-switch]')) link.href = link.pathname + location.search + location.hash;

// Sign-in links come back to this very page, query string included (?id=…).
if (location.search) {
  for (const link of $$('a[data-return-here]')) {
    const url = new URL(link.href);
    url.searchParams.set('return', location.pathname + location.search);
    link.href = url.pathname + url.search;
  }
}

document.addEventListener('click', (event) => {
  const target = event.target as Element;
  const lang = target.closest?.('a[data-lang-switch], a[data-lang-choice]');
  const chosen = lang?.getAttribute('data-lang-switch') ?? lang?.getAttribute('data-lang-choice');
  if (isLang(chosen)) savePreference('lang', chosen);
  // "Try again" on the offline page reloads the page the patient asked for.
  if (target.closest?.('a[data-retry]')) {
    event.preventDefault();
    location.reload();
  }
  // "Sign out" asks first when messages are not sent yet (see sign-out.ts).
  const signOut = target.closest?.<HTMLButtonElement>('button[data-sign-out]');
  if (signOut) void import('../lib/auth/sign-out.ts').then((m) => m.askToSignOut(signOut));
});

// The frame's Menu (Help, Settings, Sign out): a disclosure; Escape closes it and gives focus back to its button.
const menuToggle = $<HTMLButtonElement>('button[data-menu-toggle]');
const menu = $('#frame-menu');
if (menuToggle && menu) {
  const openMenu = (open: boolean) => {
    menuToggle.setAttribute('aria-expanded', String(open));
    menu.toggleAttribute('data-open', open);
  };
  menuToggle.addEventListener('click', () => openMenu(menuToggle.getAttribute('aria-expanded') !== 'true'));
  const close = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || menuToggle.getAttribute('aria-expanded') !== 'true') return;
    openMenu(false);
    menuToggle.focus();
  };
  menuToggle.addEventListener('keydown', close);
  menu.addEventListener('keydown', close);
}

// The unread count in the navigation, as the message pages last saw it.
function showUnread(count: number): void {
  const link = $<HTMLAnchorElement>('a[data-nav="messages"]');
  link?.querySelector('.nav-count')?.remove();
  if (!link || !count || !document.documentElement.hasAttribute('data-signed-in')) return;
  const badge = document.createElement('span');
  badge.className = 'nav-count';
  const words = JSON.parse(link.dataset['unreadWords'] ?? '{}') as Record<string, string>;
  const form =
    words[new Intl.PluralRules(document.documentElement.lang).select(count)] ?? words['other'] ?? '{{count}}';
  // Only the number shows (beside the icon, so the row keeps its width); the words around it are read aloud.
  const [before = '', after = ''] = form.split('{{count}}');
  const spoken = (text: string) =>
    Object.assign(document.createElement('span'), { className: 'visually-hidden', textContent: text });
  badge.append(spoken(before), String(count), spoken(after));
  link.querySelector('span')?.after(badge);
}
try {
  showUnread(Number(sessionStorage.getItem(UNREAD)));
} catch {
  // no count yet
}
addEventListener('clara:unread', (event) => showUnread((event as CustomEvent<number>).detail));

// A caregiver: every page says whose information this is and who is looking, and the Menu offers another person's.
const signedInAs = getSession();
const whose = $('[data-whose-record]');
const line = signedInAs?.caregiver;
if (whose && line?.patient && line.name) {
  const words = JSON.parse(whose.dataset['words'] ?? '{}') as Record<string, string>;
  const relation = relationWord(line, words);
  const vars: Record<string, string> = { patient: line.patient, user: line.name, relation };
  whose.textContent = (words['line'] ?? '').replace(/\{\{(\w+)\}\}/g, (_, name: string) => vars[name] ?? '');
  whose.hidden = false;
}
if (signedInAs?.fhirUser?.startsWith('RelatedPerson/'))
  for (const item of $$('[data-caregiver-only]')) item.hidden = false;

/** Puts a banner from its <template> into its live region (once), or empties the region. */
function banner(name: string, show: boolean): HTMLElement | undefined {
  const region = $(`[data-${name}-status]`);
  const template = $<HTMLTemplateElement>(`template[data-${name}-banner]`);
  if (!region || !template) return undefined;
  if (!show) region.replaceChildren();
  else if (!region.firstElementChild) region.append(template.content.cloneNode(true));
  return region;
}

// Offline: said in words on every page, and gone when the connection is back.
const showConnection = () => void banner('offline', !navigator.onLine);
showConnection();
addEventListener('online', showConnection);
addEventListener('offline', showConnection);

// The service worker: pages and scripts for offline use. A new version waits for the patient's "Update".
function offerUpdate(worker: ServiceWorker): void {
  banner('update', true)
    ?.querySelector('button')
    ?.addEventListener('click', () => {
      navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
      worker.postMessage({ type: 'SKIP_WAITING' });
    });
}

const sendOutbox = () => void import('../lib/messages/start.ts').then((m) => m.sendOutbox());

if ('serviceWorker' in navigator) {
  const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
  navigator.serviceWorker
    .register(`${base}sw.js`, { scope: base, updateViaCache: 'none' })
    .then((registration) => {
      const waiting = (worker: ServiceWorker | null) =>
        worker && navigator.serviceWorker.controller && offerUpdate(worker);
      waiting(registration.waiting);
      registration.addEventListener('updatefound', () => {
        const worker = registration.installing;
        worker?.addEventListener('statechange', () => worker.state === 'installed' && waiting(worker));
      });
    })
    .catch(() => undefined);
  // Background Sync asks an open page to send the outbox (the worker holds no token).
  navigator.serviceWorker.addEventListener('message', (event) => {
    if ((event.data as { type?: string } | undefined)?.type === 'flush-outbox') sendOutbox();
  });
}

// Messages written earlier go out when Clara starts.
if (getSession() && outboxMayWait()) sendOutbox();

const root = document.documentElement;
try {
  // A kept copy past its date (PrePaint did not mark it), or a mark without a copy: erased before anything opens it.
  if (localStorage.getItem(VAULT_FLAG) && !root.hasAttribute('data-vault'))
    void import('../lib/store/vault.ts').then((m) => m.eraseVault());
  // Tokens a sign-out could not revoke yet (offline): now, or when the connection returns.
  if (sessionStorage.getItem(REVOKE)) void import('../lib/auth/revoke.ts').then((m) => m.revokeWhenOnline());
  // A notice for the page the patient lands on ("Information another person kept on this phone was erased.").
  const notice = sessionStorage.getItem(NOTICE);
  sessionStorage.removeItem(NOTICE);
  const template = notice && $<HTMLTemplateElement>(`template[data-notice="${notice.replace(/[^\w-]/g, '')}"]`);
  const region = $('[data-privacy-status]');
  if (template && region) setTimeout(() => region.replaceChildren(template.content.cloneNode(true)), 100);
} catch {
  // Storage refused: nothing kept, nothing to do.
}

// Patient data on screen: the time limit, and other tabs' sign-outs (loaded only then).
const guard = () => void import('../lib/auth/guard.ts').then((m) => m.startGuard());
if (root.hasAttribute('data-signed-in') || root.hasAttribute('data-unlocked')) guard();
addEventListener('clara:unlocked', guard);
