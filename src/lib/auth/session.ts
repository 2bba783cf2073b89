/**
 * The signed-in session: tokens and the patient id, kept in memory and in
 * this tab's sessionStorage only. Never localStorage, IndexedDB, Cache Storage,
 * or anything the service worker keeps. Closing the tab ends the session.
 */
import { SESSION } from '../storage-keys.ts';
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
  /**
   * Who signed in (SMART `fhirUser`, relative: `Patient/<id>`, or
   * `RelatedPerson/<id>` for a caregiver). Absent: the patient.
   */
  fhirUser?: string;
  /** The id_token's `sub`: the same person whoever's record is open (a caregiver helping two parents). */
  user?: string;
  /** For a caregiver: the names on the whose-record line, read once at sign-in. */
  caregiver?: CaregiverLine;
}

export interface CaregiverLine {
  /** The caregiver's first name ("Lucía"). */
  name: string;
  /** Her whole name, as her messages' sender ("Lucía Portillo Cantú"). */
  full?: string;
  /** The patient's first name ("Adán"). */
  patient: string;
  /** A relationship Clara has words for (relationship.ts), or the EHR's own text. */
  relation?: string;
  relationText?: string;
}

/** Is a caregiver (not the patient) signed in? */
export function isCaregiver(session: Pick<Session, 'fhirUser'>): boolean {
  return !!session.fhirUser?.startsWith('RelatedPerson/');
}

/**
 * Whose records these are, as the keys of drafts, the outbox, kept copies and
 * "seen" marks: the patient, and who signed in. A patient's own stay under
 * the patient's id; a caregiver's under the patient's id and her
 * RelatedPerson (which is hers for that patient alone), so nothing she wrote
 * for one parent shows under the other, or to the patient on a shared device.
 */
export function personKey(session: Pick<Session, 'patientId' | 'fhirUser'>): string {
  return isCaregiver(session)
    ? `${session.patientId}~${session.fhirUser?.slice('RelatedPerson/'.length)}`
    : session.patientId;
}

/**
 * Who owns the copy kept on this device: the signed-in *user*. A patient is
 * their patient id (as before); a caregiver is her `sub`, the same for each
 * person she helps, so switching between them erases nothing, while anyone
 * else signing in does.
 */
export function ownerKey(session: Pick<Session, 'patientId' | 'fhirUser' | 'user'>): string {
  return isCaregiver(session) ? `user:${session.user ?? session.fhirUser}` : session.patientId;
}

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
    const raw = storage()?.getItem(SESSION);
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
    storage()?.setItem(SESSION, JSON.stringify(session));
  } catch {
    // Storage refused (private mode, full): the session lives in memory for this page.
  }
  document.documentElement.setAttribute('data-signed-in', '');
}

export function clearSession(): void {
  memory = null;
  try {
    storage()?.removeItem(SESSION);
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
