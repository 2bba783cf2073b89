/**
 * Everything the browser keeps for the site, read from inside the page: the
 * device's localStorage, every IndexedDB store, every Cache Storage entry
 * (with its request headers and body). Tests look in it for what must never
 * be kept there (tokens, FHIR responses).
 */
import type { Page } from '@playwright/test';

export interface DeviceStorage {
  localStorage: { key: string; value: string }[];
  indexedDB: { place: string; json: string }[];
  caches: { cache: string; url: string; authorization: boolean; headers: string; body: string }[];
}

export async function deviceStorage(page: Page): Promise<DeviceStorage> {
  return page.evaluate(async () => {
    const out: DeviceStorage = { localStorage: [], indexedDB: [], caches: [] };
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i) ?? '';
      out.localStorage.push({ key, value: localStorage.getItem(key) ?? '' });
    }
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name ?? '');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const store of db.objectStoreNames) {
        const values = await new Promise<unknown[]>((resolve) => {
          const request = db.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result as unknown[]);
        });
        out.indexedDB.push({ place: `${info.name ?? ''}/${store}`, json: JSON.stringify(values) });
      }
      db.close();
    }
    if ('caches' in self) {
      for (const cache of await caches.keys()) {
        const open = await caches.open(cache);
        for (const request of await open.keys()) {
          const response = await open.match(request);
          out.caches.push({
            cache,
            url: request.url,
            authorization: request.headers.has('Authorization'),
            headers: JSON.stringify([...request.headers]),
            body: response ? await response.clone().text() : '',
          });
        }
      }
    }
    return out;
  });
}
