/**
 * Where Clara keeps what the patient wrote and marked (drafts, the outbox,
 * "seen" marks): a small key-value store. In this tab's sessionStorage,
 * which survives reloads, a crash's restore and lost connections; or, on
 * the patient's own device with its copy open in this tab, the encrypted
 * vault (vault.ts, loaded only then). Never tokens.
 */
import { vaultOpen } from './flag.ts';
import { KV_PREFIX } from '../storage-keys.ts';

export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Keys starting with `prefix`. */
  keys(prefix: string): Promise<string[]>;
}

export const sessionStore: KeyValueStore = {
  async get<T>(key: string) {
    try {
      const raw = sessionStorage.getItem(KV_PREFIX + key);
      return raw === null ? undefined : (JSON.parse(raw) as T);
    } catch {
      return undefined;
    }
  },
  async set(key, value) {
    try {
      sessionStorage.setItem(KV_PREFIX + key, JSON.stringify(value));
      return true;
    } catch {
      // Full or refused: the caller says so; nothing already saved is lost.
      return false;
    }
  },
  async delete(key) {
    try {
      sessionStorage.removeItem(KV_PREFIX + key);
    } catch {
      // nothing to remove
    }
  },
  async keys(prefix) {
    const out: string[] = [];
    try {
      for (let i = 0; i < sessionStorage.length; i++) {
        const k = sessionStorage.key(i) ?? '';
        if (k.startsWith(KV_PREFIX + prefix)) out.push(k.slice(KV_PREFIX.length));
      }
    } catch {
      // nothing stored
    }
    return out;
  },
};

/** One of the vault's two encrypted stores, its code loaded on first use (pages without an open copy never load it). */
function lazyVault(place: 'kv' | 'saved'): KeyValueStore {
  const load = () => import('./vault.ts').then((m) => (place === 'kv' ? m.vaultKv : m.vaultSaved));
  return {
    get: (key) => load().then((s) => s.get(key)),
    set: (key, value) => load().then((s) => s.set(key, value)),
    delete: (key) => load().then((s) => s.delete(key)),
    keys: (prefix) => load().then((s) => s.keys(prefix)),
  };
}

export const vaultKvStore = lazyVault('kv');
export const vaultSavedStore = lazyVault('saved');

/** The store in use: the device's encrypted copy when it is open in this tab, else this tab's. */
export function store(): KeyValueStore {
  return vaultOpen() ? vaultKvStore : sessionStore;
}
