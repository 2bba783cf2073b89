/**
 * When the patient last used Clara (in this tab or another: auth/guard.ts
 * keeps it), and how long they may be away before the time limit ends the
 * sign-in. Background work (polling, sending the outbox) is not use.
 */
let last = Date.now();
let limitMs = Number.POSITIVE_INFINITY;

export const activity = {
  touch(at = Date.now()): void {
    last = at;
  },
  setLimit(ms: number): void {
    limitMs = ms;
  },
  idleMs(now = Date.now()): number {
    return now - last;
  },
  /** The time limit has passed: nothing may renew the sign-in now. */
  over(now = Date.now()): boolean {
    return now - last >= limitMs;
  },
};
