/**
 * IndexedDB, used only on a device the patient marked as their own: the
 * saved copy of what they have seen, drafts and the outbox. Never tokens,
 * never raw FHIR responses: view data only. A small promise wrapper; no library.
 */
import { registerPersistentStore, type KeyValueStore } from './kv.ts';

const DB = 'clara';
const VERSION = 1;
export const STORES = ['kv', 'saved'] as const;
export type StoreName = (typeof STORES)[number];

let opening: Promise<IDBDatabase> | undefined;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DB, VERSION);
    request.onupgradeneeded = () => {
      for (const name of STORES) if (!request.result.objectStoreNames.contains(name)) request.result.createObjectStore(name);
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab wiping the database (sign-out, "keep nothing") closes this connection.
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

export function idbKeys(store: StoreName, prefix: string): Promise<string[]> {
  const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
  return run(store, 'readonly', (s) => s.getAllKeys(range)).then(
    (keys) => keys.map(String),
    () => [],
  );
}

/** Deletes the whole database: what "keep nothing" and sign-out do. */
export function idbWipe(): Promise<void> {
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

export const idbStore: KeyValueStore = {
  get: (key) => idbGet('kv', key),
  set: (key, value) => idbSet('kv', key, value),
  delete: (key) => idbDelete('kv', key),
  keys: (prefix) => idbKeys('kv', prefix),
};

if (typeof indexedDB !== 'undefined') registerPersistentStore(idbStore);
