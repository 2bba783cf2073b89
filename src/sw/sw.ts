/**
 * Clara's service worker: its own small program (lib: webworker).
 *
 * What it keeps (an explicit allowlist):
 * - precache: every page shell, style, script, icon and the manifest, and
 *   each language's whole glossary (/{lang}/labs/glossary.json), injected at
 *   build (Workbox injectManifest), versioned by content hash; old versions
 *   are removed. Nothing else: no runtime cache, so nothing it holds says
 *   which test or page a patient opened.
 * What it never touches: requests to other origins (the FHIR server, the
 * SMART server), and anything carrying an Authorization header. Those go to
 * the network as if it were not here, and nothing of them is stored.
 *
 * Offline, a page that is not precached gets the offline page of its
 * language. A new version waits until the patient taps "Update".
 */
/// <reference lib="webworker" />
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { registerRoute, setCatchHandler } from 'workbox-routing';
import { NetworkOnly } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | PrecacheEntry)[] };

const LANGS = ['en', 'es'];
const SCOPE = new URL(self.registration.scope).pathname;

/** Requests this worker may answer at all: same origin, GET, no credentials of any kind. */
function allowed(request: Request): boolean {
  const url = new URL(request.url);
  return url.origin === self.location.origin && request.method === 'GET' && !request.headers.has('Authorization');
}

cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST, {
  directoryIndex: 'index.html',
  // /en/results/view/?id=… is the precached /en/results/view/index.html.
  ignoreURLParametersMatching: [/.*/],
  cleanURLs: false,
});

// Other pages of this site: from the network; offline, the offline page of their language.
registerRoute(({ request }) => allowed(request) && request.mode === 'navigate', new NetworkOnly());

setCatchHandler(async ({ request }) => {
  if (request.mode !== 'navigate') return Response.error();
  const path = new URL(request.url).pathname.slice(SCOPE.length);
  const lang = LANGS.find((l) => path.startsWith(`${l}/`)) ?? LANGS[0];
  return (await matchPrecache(`${SCOPE}${lang}/offline/index.html`)) ?? Response.error();
});

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | undefined)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// Background Sync: the worker holds no token, so it asks an open page to send the outbox.
self.addEventListener('sync', (event) => {
  const sync = event as ExtendableEvent & { tag?: string };
  if (sync.tag !== 'clara-outbox') return;
  sync.waitUntil(
    self.clients.matchAll({ type: 'window' }).then((clients) => {
      for (const client of clients) client.postMessage({ type: 'flush-outbox' });
    }),
  );
});

self.addEventListener('activate', (event) => {
  // Remove runtime caches of older versions (the glossary entries opened one by one); the precache is cleaned above.
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith('clara-')).map((n) => caches.delete(n)))),
  );
});
