/**
 * Everything the browser keeps for the site, read from inside the page: the
 * device's localStorage, this tab's sessionStorage, every IndexedDB store
 * (binary values, such as the vault's ciphertext, read as text so a search
 * would find anything stored in the clear), every Cache Storage entry (with
 * its request headers and body). Tests look in it for what must never be
 * kept there (tokens, FHIR responses, patient data in the clear).
 */
import type { Page } from '@playwright/test';

export interface DeviceStorage {
  localStorage: { key: string; value: string }[];
  sessionStorage: { key: string; value: string }[];
  indexedDB: { place: string; json: string }[];
  caches: { cache: string; url: string; authorization: boolean; headers: string; body: string }[];
}

export async function deviceStorage(page: Page): Promise<DeviceStorage> {
  return page.evaluate(async () => {
    const out: DeviceStorage = { localStorage: [], sessionStorage: [], indexedDB: [], caches: [] };
    for (const [store, list] of [
      [localStorage, out.localStorage],
      [sessionStorage, out.sessionStorage],
    ] as const) {
      for (let i = 0; i < store.length; i++) {
        const key = store.key(i) ?? '';
        list.push({ key, value: store.getItem(key) ?? '' });
      }
    }
    // Bytes as text, both ways a reader might try: UTF-8 and one character per byte.
    const bytesAsText = (bytes: Uint8Array) =>
      `${new TextDecoder().decode(bytes)}\n${Array.from(bytes, (b) => String.fromCharCode(b)).join('')}`;
    const readable = (_key: string, value: unknown) =>
      value instanceof ArrayBuffer
        ? bytesAsText(new Uint8Array(value))
        : ArrayBuffer.isView(value)
          ? bytesAsText(new Uint8Array(value.buffer, value.byteOffset, value.byteLength))
          : value;
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name ?? '');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const store of db.objectStoreNames) {
        const [keys, values] = await new Promise<[IDBValidKey[], unknown[]]>((resolve) => {
          const tx = db.transaction(store);
          const k = tx.objectStore(store).getAllKeys();
          const v = tx.objectStore(store).getAll();
          tx.oncomplete = () => resolve([k.result, v.result as unknown[]]);
        });
        out.indexedDB.push({ place: `${info.name ?? ''}/${store}`, json: JSON.stringify({ keys, values }, readable) });
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

/** Where in the device's storage any of `needles` is found (case-insensitive), as "place: needle". */
export function findInStorage(
  kept: DeviceStorage,
  needles: string[],
  options: { sessionStorage?: boolean } = {},
): string[] {
  const places = [
    ...kept.localStorage.map((e) => [`localStorage ${e.key}`, e.key + e.value] as const),
    ...(options.sessionStorage === false
      ? []
      : kept.sessionStorage.map((e) => [`sessionStorage ${e.key}`, e.key + e.value] as const)),
    ...kept.indexedDB.map((d) => [`IndexedDB ${d.place}`, d.json] as const),
    ...kept.caches.map((c) => [`Cache ${c.cache} ${c.url}`, c.url + c.headers + c.body] as const),
  ];
  return places.flatMap(([place, text]) =>
    needles.filter((n) => n && text.toLowerCase().includes(n.toLowerCase())).map((n) => `${place}: ${n}`),
  );
}
