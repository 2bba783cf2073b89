/**
 * The saved copy of what the patient has seen (view data, never raw FHIR
 * responses, never tokens). On their own device, with the copy open in this
 * tab: the encrypted vault, shown at once on the next visit and labelled
 * "Saved on this phone". Otherwise: this tab only, so a page seen a minute
 * ago is not fetched again.
 */
import { vaultOpen } from './flag.ts';
import { sessionStore, vaultSavedStore } from './kv.ts';
import { freshKey } from '../storage-keys.ts';

export interface Saved<T> {
  data: T;
  /** When the data was fetched from the clinic. */
  savedAt: string;
}

/** A copy younger than this is current enough to show without asking the clinic again. */
export const FRESH_MS = 2 * 60_000;

const key = (patientId: string, name: string) => `saved.${patientId}.${name}`;
const place = () => (vaultOpen() ? vaultSavedStore : sessionStore);

export async function loadCopy<T>(patientId: string, name: string): Promise<Saved<T> | undefined> {
  return place().get<Saved<T>>(key(patientId, name));
}

/**
 * When this tab last saved a page's copy (epoch ms, in sessionStorage: no
 * data, just the time), so the page's early requests (fhir/early.ts) are not
 * started for a page that will show its fresh copy instead of asking.
 */

function markFresh(patientId: string, name: string, at?: number): void {
  try {
    if (at) sessionStorage.setItem(freshKey(patientId, name), String(at));
    else sessionStorage.removeItem(freshKey(patientId, name));
  } catch {
    // No mark: the page's requests start early and are used (or not) as before.
  }
}

/**
 * Keeps a page's copy. The fresh mark follows only a write that was done: a
 * refused one (a full disk) leaves no copy to show, so the page must ask.
 * The write is encrypted and asynchronous, and a page left at once may not
 * finish it; the mark then says so too (the offline journey waits for it).
 */
export async function saveCopy(patientId: string, name: string, data: unknown): Promise<void> {
  const now = new Date();
  const value: Saved<unknown> = { data, savedAt: now.toISOString() };
  if (await place().set(key(patientId, name), value)) markFresh(patientId, name, now.getTime());
}

export async function dropCopy(patientId: string, name: string): Promise<void> {
  markFresh(patientId, name);
  await place().delete(key(patientId, name));
}

export function isFresh(saved: Saved<unknown> | undefined, now = Date.now()): boolean {
  return !!saved && now - Date.parse(saved.savedAt) < FRESH_MS;
}

/** The patient whose copy this device keeps (to show it once opened, before signing in). */
export async function lastPatient(): Promise<string | undefined> {
  return vaultOpen() ? vaultSavedStore.get<string>('lastPatient') : undefined;
}

export async function rememberPatient(patientId: string): Promise<void> {
  if (vaultOpen()) await vaultSavedStore.set('lastPatient', patientId);
}
