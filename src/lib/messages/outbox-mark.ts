/**
 * A flag that says "the outbox may hold a message to send", so that a page
 * can tell without loading the outbox's code or opening IndexedDB. Set
 * before a message is stored (so it errs on the side of looking), cleared
 * only once the outbox is seen to hold nothing unsent. It is a flag, not
 * data: where the copy kept on the patient's own device is open (and the
 * outbox is in it) it lives in localStorage, otherwise in this tab's
 * sessionStorage.
 */
import { vaultOpen } from '../store/flag.ts';

const MARK = 'clara.outbox';

const own = vaultOpen;

export function markOutbox(): void {
  try {
    (own() ? localStorage : sessionStorage).setItem(MARK, '1');
  } catch {
    // The message's own write says whether the device refused.
  }
}

export function outboxMayWait(): boolean {
  try {
    return !!(sessionStorage.getItem(MARK) || localStorage.getItem(MARK));
  } catch {
    return false;
  }
}

export function clearOutboxMark(): void {
  try {
    sessionStorage.removeItem(MARK);
    localStorage.removeItem(MARK);
  } catch {
    // nothing stored
  }
}
