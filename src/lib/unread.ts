import { UNREAD } from './storage-keys.ts';

/** Tells the navigation how many messages are unread (site.ts shows it). */
export function publishUnread(count: number): void {
  try {
    sessionStorage.setItem(UNREAD, String(count));
  } catch {
    // shown next time
  }
  dispatchEvent(new CustomEvent('clara:unread', { detail: count }));
}
