/** Tells the navigation how many messages are unread (site.ts shows it). */
export function publishUnread(count: number): void {
  try {
    sessionStorage.setItem('clara.unread', String(count));
  } catch {
    // shown next time
  }
  dispatchEvent(new CustomEvent('clara:unread', { detail: count }));
}
