/**
 * Locking and opening the copy kept on the patient's own device: with the
 * phone's screen lock (a WebAuthn platform authenticator, user verification
 * required, and its PRF extension) or, where that is not available, a
 * 6-digit Clara PIN. Loaded only when the patient sets a lock or opens the copy.
 */
import {
  PBKDF2_ITERATIONS,
  fromB64,
  pinKek,
  prfKek,
  randomBytes,
  SALT_BYTES,
  toB64,
  unwrapDek,
  wrapDek,
  DEK_BYTES,
} from './vault-crypto.ts';
import { afterWrongPin, type KeyLock, type Lock, type PinLock } from './vault-rules.ts';
import { currentMeta, eraseVault, holdKey, readMeta, writeMeta } from './vault.ts';

type Bytes = Uint8Array<ArrayBuffer>;

/** How long the phone may wait for the patient at its screen lock. */
const WEBAUTHN_TIMEOUT_MS = 120_000;

/**
 * The screen lock can keep the key where: a platform authenticator that
 * verifies the user, and (where the browser says) the PRF extension. Where
 * the browser cannot say, the first use finds out and falls back to a PIN.
 */
export async function screenLockAvailable(): Promise<boolean> {
  if (typeof PublicKeyCredential === 'undefined' || !isSecureContext) return false;
  try {
    if (!(await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable())) return false;
    const capabilities =
      typeof PublicKeyCredential.getClientCapabilities === 'function'
        ? await PublicKeyCredential.getClientCapabilities()
        : undefined;
    return capabilities?.['extension:prf'] !== false;
  } catch {
    return false;
  }
}

export interface NewLock {
  lock: Lock;
  dek: Bytes;
}

export async function newPinLock(pin: string): Promise<NewLock> {
  const salt = randomBytes(SALT_BYTES);
  const dek = randomBytes(DEK_BYTES);
  const wrapped = await wrapDek(await pinKek(pin, salt), dek);
  const lock: PinLock = { kind: 'pin', salt: toB64(salt), iterations: PBKDF2_ITERATIONS, ...wrapped };
  return { lock, dek };
}

function toBuffer(value: BufferSource | undefined): ArrayBuffer | undefined {
  if (!value) return undefined;
  if (value instanceof ArrayBuffer) return value;
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice().buffer;
}

async function evaluatePrf(credentialId: Bytes, prfSalt: Bytes): Promise<ArrayBuffer | undefined> {
  const assertion = (await navigator.credentials.get({
    publicKey: {
      challenge: randomBytes(32),
      allowCredentials: [{ type: 'public-key', id: credentialId }],
      userVerification: 'required',
      timeout: WEBAUTHN_TIMEOUT_MS,
      extensions: { prf: { eval: { first: prfSalt } } },
    },
  })) as PublicKeyCredential | null;
  return toBuffer(assertion?.getClientExtensionResults().prf?.results?.first);
}

/**
 * A screen lock: a new platform credential with PRF. Its PRF output (asked
 * for at creation; else by one `get()`) becomes the key that wraps the DEK.
 * `'no-prf'` when the phone cannot do it (the patient chooses a PIN then);
 * `'cancelled'` when the patient or the phone said no.
 */
export async function newScreenLock(name: string): Promise<NewLock | 'no-prf' | 'cancelled'> {
  const prfSalt = randomBytes(32);
  let credential: PublicKeyCredential | null;
  try {
    credential = (await navigator.credentials.create({
      publicKey: {
        rp: { name },
        // Nothing about the patient: the phone lists this as "Clara".
        user: { id: randomBytes(16), name: 'Clara', displayName: 'Clara' },
        challenge: randomBytes(32),
        pubKeyCredParams: [
          { type: 'public-key', alg: -7 },
          { type: 'public-key', alg: -257 },
        ],
        authenticatorSelection: {
          authenticatorAttachment: 'platform',
          userVerification: 'required',
          residentKey: 'discouraged',
        },
        timeout: WEBAUTHN_TIMEOUT_MS,
        extensions: { prf: { eval: { first: prfSalt } } },
      },
    })) as PublicKeyCredential | null;
  } catch {
    return 'cancelled';
  }
  if (!credential) return 'cancelled';
  const prf = credential.getClientExtensionResults().prf;
  if (!prf?.enabled && !prf?.results) return 'no-prf';
  const id = new Uint8Array(credential.rawId);
  let output = toBuffer(prf.results?.first);
  if (!output) {
    try {
      output = await evaluatePrf(id, prfSalt);
    } catch {
      return 'cancelled';
    }
  }
  if (!output) return 'no-prf';
  const dek = randomBytes(DEK_BYTES);
  const wrapped = await wrapDek(await prfKek(output), dek);
  const lock: KeyLock = { kind: 'key', credentialId: toB64(id), prfSalt: toB64(prfSalt), ...wrapped };
  return { lock, dek };
}

export interface Opened {
  ok: boolean;
  /** No current copy on this device (erased, expired, or another lock). */
  gone?: boolean;
  /** The last wrong PIN erased the copy. */
  erased?: boolean;
  /** A wrong PIN, when few tries are left: how many. */
  left?: number;
  /** The screen lock did not give the key (cancelled, or another phone). */
  refused?: boolean;
}

export async function openWithPin(pin: string): Promise<Opened> {
  const meta = await currentMeta();
  if (!meta || meta.lock.kind !== 'pin') return { ok: false, gone: true };
  // Counted before the check: closing the tab while it runs does not give a free try.
  const failures = meta.failures + 1;
  if (!(await writeMeta({ ...meta, failures }))) return { ok: false, gone: true };
  const dek = await unwrapDek(await pinKek(pin, fromB64(meta.lock.salt), meta.lock.iterations), meta.lock);
  const now = await readMeta();
  if (dek) {
    if (now) await writeMeta({ ...now, failures: 0 });
    holdKey(dek);
    return { ok: true };
  }
  const verdict = afterWrongPin(now?.failures ?? failures);
  if (verdict.erase) {
    await eraseVault();
    return { ok: false, erased: true };
  }
  return { ok: false, erased: false, ...(verdict.left !== undefined ? { left: verdict.left } : {}) };
}

export async function openWithScreenLock(): Promise<Opened> {
  const meta = await currentMeta();
  if (!meta || meta.lock.kind !== 'key') return { ok: false, gone: true };
  let output: ArrayBuffer | undefined;
  try {
    output = await evaluatePrf(fromB64(meta.lock.credentialId), fromB64(meta.lock.prfSalt));
  } catch {
    output = undefined;
  }
  const dek = output ? await unwrapDek(await prfKek(output), meta.lock) : undefined;
  if (!dek) return { ok: false, refused: true };
  holdKey(dek);
  return { ok: true };
}
