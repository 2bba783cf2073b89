/**
 * The signed-in session: tokens and the patient id, kept in memory and in
 * this tab's sessionStorage only. Never localStorage, IndexedDB, Cache Storage,
 * or anything the service worker keeps. Closing the tab ends the session.
 */
export interface Session {
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds when the access token stops working. */
  expiresAt: number;
  /** Granted scopes, space separated. */
  scope: string;
  patientId: string;
  /** FHIR base URL the tokens are for. */
  fhirBaseUrl: string;
  /** SMART token endpoint, for refreshing. */
  tokenEndpoint: string;
  /** RFC 7009 revocation endpoint, when the server's SMART configuration names one (signing out revokes the tokens there). */
  revocationEndpoint?: string;
  issuer: string;
  clientId: string;
}

const KEY = 'clara.session';
let memory: Session | null | undefined;

function storage(): Storage | undefined {
  try {
    return sessionStorage;
  } catch {
    return undefined;
  }
}

export function getSession(): Session | null {
  if (memory !== undefined) return memory;
  try {
    const raw = storage()?.getItem(KEY);
    const parsed = raw ? (JSON.parse(raw) as Session) : null;
    memory = parsed && typeof parsed.accessToken === 'string' && typeof parsed.patientId === 'string' ? parsed : null;
  } catch {
    memory = null;
  }
  return memory;
}

export function saveSession(session: Session): void {
  memory = session;
  try {
    storage()?.setItem(KEY, JSON.stringify(session));
  } catch {
    // Storage refused (private mode, full): the session lives in memory for this page.
  }
  document.documentElement.setAttribute('data-signed-in', '');
}

export function clearSession(): void {
  memory = null;
  try {
    storage()?.removeItem(KEY);
  } catch {
    // nothing to remove
  }
  document.documentElement.removeAttribute('data-signed-in');
}

/** Resource types with a granted permission, from `patient/<Type>.<perms>` (v2) or `.read` (v1). */
export function granted(session: Pick<Session, 'scope'>, type: string, permission: 'r' | 's' | 'c' = 'r'): boolean {
  return session.scope.split(/\s+/).some((scope) => {
    const match = /^patient\/([A-Za-z]+|\*)\.([a-z*]+)$/.exec(scope);
    if (!match || (match[1] !== type && match[1] !== '*')) return false;
    const perms = match[2] ?? '';
    if (perms === 'read') return permission !== 'c';
    if (perms === 'write') return permission === 'c';
    return perms === '*' || perms.includes(permission);
  });
}
