/**
 * A flag that says "the outbox may hold a message to send", so that a page
 * can tell without loading the outbox's code or opening IndexedDB. Set
 * before a message is stored (so it errs on the side of looking), cleared
 * only once the outbox is seen to hold nothing unsent. It is a flag, not
 * data: where the copy kept on the patient's own device is open (and the
 * outbox is in it) it lives in localStorage, otherwise in this tab's
 * sessionStorage.
 */
import { readFlag, vaultOpen } from '../store/flag.ts';
import { OUTBOX_MARK } from '../storage-keys.ts';

/** The event a page hears when a message in the outbox changes state (sent by deliver.ts). */
export const OUTBOX_EVENT = 'clara:outbox';

const own = vaultOpen;

export function markOutbox(): void {
  try {
    (own() ? localStorage : sessionStorage).setItem(OUTBOX_MARK, '1');
  } catch {
    // The message's own write says whether the device refused.
  }
}

export function outboxMayWait(): boolean {
  try {
    return !!(sessionStorage.getItem(OUTBOX_MARK) || localStorage.getItem(OUTBOX_MARK));
  } catch {
    return false;
  }
}

/**
 * Clears the mark once the outbox is seen empty: this tab's, and the kept
 * copy's unless the copy is shut in this tab (its outbox was not seen; it
 * goes with the copy when that is erased).
 */
export function clearOutboxMark(): void {
  try {
    sessionStorage.removeItem(OUTBOX_MARK);
    if (vaultOpen() || !readFlag()) localStorage.removeItem(OUTBOX_MARK);
  } catch {
    // nothing stored
  }
}
