/**
 * IndexedDB, used only on a device the patient marked as their own, and
 * only through the vault (vault.ts): every record in `kv` (drafts, outbox,
 * "seen" marks) and `saved` (the saved copy) is encrypted, under an opaque
 * id; `meta` holds the clear facts needed to open it (no patient data).
 * Never tokens, never raw FHIR responses. A small promise wrapper; no library.
 *
 * Version 1 kept records in the clear: upgrading deletes them.
 */
const DB = 'clara';
const VERSION = 2;
export const STORES = ['meta', 'kv', 'saved'] as const;
export type StoreName = (typeof STORES)[number];

let opening: Promise<IDBDatabase> | undefined;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DB, VERSION);
    request.onupgradeneeded = (event) => {
      const db = request.result;
      // What version 1 kept was readable: it goes.
      if (event.oldVersion < 2) for (const name of [...db.objectStoreNames]) db.deleteObjectStore(name);
      for (const name of STORES) if (!db.objectStoreNames.contains(name)) db.createObjectStore(name);
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab erasing the copy (sign-out, "keep nothing") closes this connection.
      db.onversionchange = () => {
        db.close();
        opening = undefined;
      };
      resolve(db);
    };
    request.onerror = () => {
      opening = undefined;
      reject(request.error);
    };
    request.onblocked = () => reject(new Error('IndexedDB blocked'));
  });
  return opening;
}

function run<T>(store: StoreName, mode: IDBTransactionMode, work: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(store, mode);
        const request = work(tx.objectStore(store));
        tx.oncomplete = () => resolve(request.result);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new Error('aborted'));
      }),
  );
}

export function idbGet<T>(store: StoreName, key: string): Promise<T | undefined> {
  return run<T | undefined>(store, 'readonly', (s) => s.get(key) as IDBRequest<T | undefined>).catch(() => undefined);
}

/** Writes a value; false when the device refuses (full disk, private mode). */
export function idbSet(store: StoreName, key: string, value: unknown): Promise<boolean> {
  return run(store, 'readwrite', (s) => s.put(value, key)).then(
    () => true,
    () => false,
  );
}

export function idbDelete(store: StoreName, key: string): Promise<void> {
  return run(store, 'readwrite', (s) => s.delete(key)).then(
    () => undefined,
    () => undefined,
  );
}

/** Every [key, value] of a store. */
export async function idbEntries(store: StoreName): Promise<[string, unknown][]> {
  const out: [string, unknown][] = [];
  try {
    await run(store, 'readonly', (s) => {
      const request = s.openCursor();
      request.onsuccess = () => {
        const cursor = request.result;
        if (!cursor) return;
        out.push([String(cursor.key), cursor.value]);
        cursor.continue();
      };
      return request;
    });
  } catch {
    return [];
  }
  return out;
}

/** Deletes the whole database: erasing the copy. */
export function idbWipe(): Promise<void> {
  if (typeof indexedDB === 'undefined') return Promise.resolve();
  const pending = opening;
  opening = undefined;
  return (pending ?? Promise.resolve(undefined))
    .then((db) => db?.close())
    .catch(() => undefined)
    .then(
      () =>
        new Promise<void>((resolve) => {
          const request = indexedDB.deleteDatabase(DB);
          request.onsuccess = request.onerror = request.onblocked = () => resolve();
        }),
    );
}
