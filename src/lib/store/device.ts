/**
 * Is this the patient's own device? On their own phone Clara keeps a copy of
 * what they have seen, their drafts and unsent messages in IndexedDB, so it
 * works without a signal. On a shared or public device it keeps nothing
 * beyond this tab. Not decided yet counts as shared.
 */
import { idbStore, idbWipe } from './idb.ts';
import { sessionStore, useStore } from './kv.ts';

export type DeviceMode = 'own' | 'shared';
const KEY = 'clara.device';

export function deviceMode(): DeviceMode | undefined {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'own' || value === 'shared' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function keepsCopy(): boolean {
  return deviceMode() === 'own' && typeof indexedDB !== 'undefined';
}

/** Chooses the store for drafts and the outbox; call before using them. */
export function initStorage(): void {
  useStore(keepsCopy() ? idbStore : sessionStore);
}

/**
 * Records the patient's choice. Moving to "shared" deletes everything kept;
 * moving to "own" carries this tab's drafts and outbox over.
 */
export async function setDeviceMode(mode: DeviceMode): Promise<void> {
  const before = keepsCopy();
  try {
    localStorage.setItem(KEY, mode);
  } catch {
    // Cannot remember the choice: nothing is kept either way.
  }
  if (mode === 'shared') {
    await idbWipe();
    useStore(sessionStore);
    return;
  }
  if (!before && keepsCopy()) {
    for (const key of await sessionStore.keys('')) {
      const value = await sessionStore.get(key);
      if (value !== undefined && (await idbStore.set(key, value))) await sessionStore.delete(key);
    }
    useStore(idbStore);
  }
}

initStorage();
