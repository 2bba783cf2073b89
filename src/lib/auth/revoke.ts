/**
 * Revoking a sign-in's tokens at the authorization server (RFC 7009: POST
 * form `token`, `token_type_hint`, `client_id`), when its SMART
 * configuration names a `revocation_endpoint`.
 *
 * Signing out erases everything at once, online or not; the tokens still to
 * revoke wait in this tab's sessionStorage only (never localStorage or
 * IndexedDB) and go when the connection returns (`online`) or when a page
 * of this tab next starts. A tab closed while offline cannot revoke them:
 * they then end at the server when they expire.
 */
import type { Session } from './session.ts';
import { timeoutSignal } from '../signals.ts';
import { REVOKE } from '../storage-keys.ts';

interface Pending {
  endpoint: string;
  clientId: string;
  token: string;
  hint: 'refresh_token' | 'access_token';
}

function read(): Pending[] {
  try {
    const list = JSON.parse(sessionStorage.getItem(REVOKE) ?? '[]') as unknown;
    return Array.isArray(list) ? (list as Pending[]) : [];
  } catch {
    return [];
  }
}

function write(list: Pending[]): void {
  try {
    if (list.length) sessionStorage.setItem(REVOKE, JSON.stringify(list));
    else sessionStorage.removeItem(REVOKE);
  } catch {
    // Refused: these tokens end at the server when they expire.
  }
}

/** Puts a session's tokens on this tab's list to revoke: the refresh token first (it ends the access token's family too). */
export function queueRevocation(session: Session | null): void {
  if (!session?.revocationEndpoint) return;
  const list = read();
  const add = (token: string | undefined, hint: Pending['hint']) => {
    if (token && !list.some((p) => p.token === token))
      list.push({ endpoint: session.revocationEndpoint as string, clientId: session.clientId, token, hint });
  };
  add(session.refreshToken, 'refresh_token');
  add(session.accessToken, 'access_token');
  write(list);
}

let running: Promise<void> | undefined;

/** Sends what waits; keeps what could not go (no connection, the server busy) for later. */
export function revokePending(): Promise<void> {
  running ??= (async () => {
    const sent = read();
    const left: Pending[] = [];
    for (const item of sent) {
      try {
        const response = await fetch(item.endpoint, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
          body: new URLSearchParams({
            token: item.token,
            token_type_hint: item.hint,
            client_id: item.clientId,
          }).toString(),
          credentials: 'omit',
          cache: 'no-store',
          referrerPolicy: 'no-referrer',
          signal: timeoutSignal(15_000),
        });
        // 200: revoked (or unknown, which is as good). 503 and the like: try again later. Other refusals will not change.
        if (response.status >= 500 || response.status === 429) left.push(item);
      } catch {
        left.push(item);
      }
    }
    // What could not go stays, and so does what was queued while this ran.
    const has = (list: Pending[], p: Pending) => list.some((q) => q.token === p.token);
    write(read().filter((p) => has(left, p) || !has(sent, p)));
  })().finally(() => {
    running = undefined;
  });
  return running;
}

/** Now if there is a connection, and whenever it returns while this page is open. */
export function revokeWhenOnline(): void {
  if (navigator.onLine !== false) void revokePending();
  addEventListener('online', () => void revokePending());
}
