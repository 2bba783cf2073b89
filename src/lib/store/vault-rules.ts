/**
 * The rules of the copy kept on the patient's own device, as pure functions
 * (unit-tested): what its clear `meta` record holds, when it expires, and
 * what a wrong PIN leads to.
 *
 * The meta record is in the clear because it must be read before the copy
 * is opened. It holds no patient data: the wrapped key and how to unwrap it
 * (salts, IV, the screen lock's credential id), a salted fingerprint of the
 * owner (never their id), when the copy is erased, and the wrong-PIN count.
 */
export interface PinLock {
  kind: 'pin';
  /** base64url, 16 bytes */
  salt: string;
  iterations: number;
  iv: string;
  wrapped: string;
}

export interface KeyLock {
  kind: 'key';
  /** The screen lock's WebAuthn credential id (base64url). */
  credentialId: string;
  /** The PRF input (base64url, 32 bytes). */
  prfSalt: string;
  iv: string;
  wrapped: string;
}

export type Lock = PinLock | KeyLock;

export interface VaultMeta {
  v: 1;
  lock: Lock;
  ownerSalt: string;
  /** Salted SHA-256 of issuer and patient id; absent until the first sign-in after the lock was set. */
  owner?: string;
  /** Epoch ms from which the copy is erased: `device.keepDays` after the owner's last sign-in. */
  expiresAt: number;
  /** Wrong PINs in a row, counted before each try is checked (closing the tab mid-check does not reset it). */
  failures: number;
}

export const MAX_PIN_TRIES = 5;
/** From this many wrong PINs on, the patient is told how many tries are left. */
export const WARN_AFTER = 3;
const DAY_MS = 86_400_000;

export function isPin(value: string): boolean {
  return /^\d{6}$/.test(value);
}

export function expiryFrom(now: number, keepDays: number): number {
  return now + keepDays * DAY_MS;
}

export function isExpired(meta: Pick<VaultMeta, 'expiresAt'>, now: number): boolean {
  return !(meta.expiresAt > now);
}

export type WrongPin = { erase: true } | { erase: false; left?: number };

/** What follows a wrong PIN, given the count including it: a plain "try again", how many tries are left, or erasing. */
export function afterWrongPin(failures: number): WrongPin {
  if (failures >= MAX_PIN_TRIES) return { erase: true };
  return failures >= WARN_AFTER ? { erase: false, left: MAX_PIN_TRIES - failures } : { erase: false };
}

const B64 = /^[A-Za-z0-9_-]+$/;

/** A meta record as Clara wrote it (anything else is treated as no copy). */
export function isMeta(value: unknown): value is VaultMeta {
  const m = value as Partial<VaultMeta> | undefined;
  if (
    !m ||
    m.v !== 1 ||
    typeof m.expiresAt !== 'number' ||
    typeof m.failures !== 'number' ||
    typeof m.ownerSalt !== 'string'
  )
    return false;
  const lock = m.lock as Partial<Record<keyof PinLock | keyof KeyLock, unknown>> | undefined;
  const b64 = (value: unknown) => typeof value === 'string' && B64.test(value);
  if (!lock || !b64(lock.iv) || !b64(lock.wrapped)) return false;
  if (lock.kind === 'pin') return b64(lock.salt) && typeof lock.iterations === 'number' && lock.iterations >= 100_000;
  return lock.kind === 'key' && b64(lock.credentialId) && b64(lock.prfSalt);
}
