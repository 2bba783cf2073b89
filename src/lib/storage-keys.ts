/**
 * Every name Clara gives what it keeps in the browser's storage, in one
 * place: where it lives and what it holds. Nothing here is about the
 * patient except what sessionStorage holds for this tab's sign-in, which
 * sign-out erases (auth/sign-out.ts).
 *
 * components/PrePaint.astro and the language chooser (pages/index.astro)
 * are small scripts written by hand into every page's HTML; they spell
 * their names out (clara.textSize, clara.theme, clara.vault, clara.session,
 * clara.vault.key, clara.lang), and tests/unit/storage-keys.test.ts checks
 * that they match these.
 */

// ---- localStorage: this device (settings, and marks with nothing of the patient in them) ----
/** Whose device this is ("own" or "shared"): store/device.ts. */
export const DEVICE = 'clara.device';
/** That an encrypted copy exists, how it opens, and when it is erased: store/flag.ts. */
export const VAULT_FLAG = 'clara.vault';
/** Small key-value records kept beside IndexedDB: store/kv.ts. */
export const KV_PREFIX = 'clara.kv.';
/** That the outbox may hold something (so pages send it on start): messages/outbox-mark.ts. */
export const OUTBOX_MARK = 'clara.outbox';
/** A preference (textSize, theme, readingSpeed, lang): prefs.ts. */
export const prefKey = (name: string) => `clara.${name}`;

// ---- sessionStorage: this tab's sign-in (erased at sign-out) ----
/** The tokens and who is signed in: auth/session.ts. */
export const SESSION = 'clara.session';
/** The open copy's key while this tab uses it: store/flag.ts. */
export const VAULT_KEY = 'clara.vault.key';
/** A sign-in under way (PKCE verifier, state): auth/smart.ts. */
export const SIGN_IN = 'clara.signin';
/** Tokens a sign-out could not revoke yet (offline): auth/revoke.ts. */
export const REVOKE = 'clara.revoke';
/** A notice for the next page ("information another person kept was erased"): scripts/site.ts. */
export const NOTICE = 'clara.notice';
/** The unread count the message pages last saw: unread.ts. */
export const UNREAD = 'clara.unread';
/** The patient's care teams: messages/care-team.ts. */
export const CARE_TEAM = 'clara.careTeam';
/** The patient's birth date and sex: results/fetch-list.ts. */
export const PATIENT_CONTEXT = 'clara.patientContext';
/** The patient's caregivers, for the message pages: messages/load.ts. */
export const HELPERS = 'clara.helpers';
/** The FHIR server's answers say `Cache-Control: no-store` themselves (so Clara's requests need not): fhir/client.ts. */
export const SERVER_NO_STORE = 'clara.serverNoStore';
/** When a page last saved its copy (a page a moment old is not asked again): store/saved.ts. */
export const freshKey = (patientId: string, name: string) => `clara.fresh.${patientId}.${name}`;
/** What one sign-in reads once and keeps: forgotten when another begins (auth/smart.ts). */
export const PER_SIGN_IN = [CARE_TEAM, PATIENT_CONTEXT, UNREAD, HELPERS];
