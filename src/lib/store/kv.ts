/**
 * Where Clara keeps what the patient wrote (drafts, the outbox): a small
 * key-value store. In this tab's sessionStorage, which survives reloads, a
 * crash's restore and lost connections. Never tokens.
 */
export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Keys starting with `prefix`. */
  keys(prefix: string): Promise<string[]>;
}

const PREFIX = 'clara.kv.';

export const sessionStore: KeyValueStore = {
  async get<T>(key: string) {
    try {
      const raw = sessionStorage.getItem(PREFIX + key);
      return raw === null ? undefined : (JSON.parse(raw) as T);
    } catch {
      return undefined;
    }
  },
  async set(key, value) {
    try {
      sessionStorage.setItem(PREFIX + key, JSON.stringify(value));
      return true;
    } catch {
      // Full or refused: the caller says so; nothing already saved is lost.
      return false;
    }
  },
  async delete(key) {
    try {
      sessionStorage.removeItem(PREFIX + key);
    } catch {
      // nothing to remove
    }
  },
  async keys(prefix) {
    const out: string[] = [];
    try {
      for (let i = 0; i < sessionStorage.length; i++) {
        const k = sessionStorage.key(i) ?? '';
        if (k.startsWith(PREFIX + prefix)) out.push(k.slice(PREFIX.length));
      }
    } catch {
      // nothing stored
    }
    return out;
  },
};

let current: KeyValueStore | undefined;
let persistent: KeyValueStore | undefined;

/** Registers the device's own store (IndexedDB), used when the patient keeps a copy here. */
export function registerPersistentStore(next: KeyValueStore): void {
  persistent = next;
}

/** The store in use: the device's own when the patient keeps a copy on it, else this tab's. */
export function store(): KeyValueStore {
  if (!current) {
    let own = false;
    try {
      own = localStorage.getItem('clara.device') === 'own';
    } catch {
      own = false;
    }
    current = own && persistent ? persistent : sessionStore;
  }
  return current;
}

export function useStore(next: KeyValueStore): void {
  current = next;
}
