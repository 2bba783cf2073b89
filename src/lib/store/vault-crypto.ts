/**
 * The cryptography of the copy kept on the patient's own device, all from
 * WebCrypto (no library): pure functions, unit-tested under Node.
 *
 * - A random 32-byte data key (DEK) per copy. From it, with HKDF-SHA-256,
 *   an AES-GCM-256 key for the records and an HMAC-SHA-256 key for their ids.
 * - A record is AES-GCM with a fresh 12-byte IV; its plaintext is
 *   `{ k: logical key, v: value }` as JSON, padded with spaces to a multiple
 *   of 256 bytes (so its size says little); its id, bound in as additional
 *   data, is base64url HMAC of the logical key: nothing readable is left.
 * - The DEK is never kept in the clear on the device: it is wrapped with
 *   AES-GCM by a key-encryption key (KEK), either from the phone's screen
 *   lock (WebAuthn PRF output → HKDF-SHA-256, info "clara vault") or from a
 *   6-digit PIN (PBKDF2-SHA-256, 600,000 iterations, random 16-byte salt).
 */
export const DEK_BYTES = 32;
export const IV_BYTES = 12;
export const SALT_BYTES = 16;
/** OWASP's 2023 advice for PBKDF2-HMAC-SHA-256. */
export const PBKDF2_ITERATIONS = 600_000;
export const PAD_TO = 256;
export const KEK_INFO = 'clara vault';
const RECORDS_INFO = 'clara records';
const IDS_INFO = 'clara record ids';

type Bytes = Uint8Array<ArrayBuffer>;
const text = new TextEncoder();

export function randomBytes(length: number): Bytes {
  return crypto.getRandomValues(new Uint8Array(length));
}

export function toB64(data: Uint8Array | ArrayBuffer): string {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromB64(value: string): Bytes {
  const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export interface DataKeys {
  records: CryptoKey;
  ids: CryptoKey;
}

/** The record and id keys of a copy, from its raw DEK (neither can be exported). */
export async function dataKeys(dek: Bytes): Promise<DataKeys> {
  const base = await crypto.subtle.importKey('raw', dek, 'HKDF', false, ['deriveKey']);
  const hkdf = (info: string) => ({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: text.encode(info) });
  const [records, ids] = await Promise.all([
    crypto.subtle.deriveKey(hkdf(RECORDS_INFO), base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']),
    crypto.subtle.deriveKey(hkdf(IDS_INFO), base, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign']),
  ]);
  return { records, ids };
}

/** The opaque id of a record: base64url HMAC-SHA-256 of its store and logical key. */
export async function recordId(keys: DataKeys, store: string, logical: string): Promise<string> {
  return toB64(await crypto.subtle.sign('HMAC', keys.ids, text.encode(`${store}\n${logical}`)));
}

/** What IndexedDB holds for one record: nothing but an IV and ciphertext. */
export interface SealedRecord {
  iv: Bytes;
  data: ArrayBuffer;
}

export async function seal(keys: DataKeys, id: string, logical: string, value: unknown): Promise<SealedRecord> {
  const json = JSON.stringify({ k: logical, v: value });
  const length = text.encode(json).length;
  const padded = text.encode(json + ' '.repeat(Math.ceil((length + 1) / PAD_TO) * PAD_TO - length));
  const iv = randomBytes(IV_BYTES);
  const data = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: text.encode(id) },
    keys.records,
    padded,
  );
  return { iv, data };
}

/** The record's logical key and value; undefined when it does not open (another key, tampered, moved). */
export async function unseal(
  keys: DataKeys,
  id: string,
  record: unknown,
): Promise<{ k: string; v: unknown } | undefined> {
  const r = record as Partial<SealedRecord> | undefined;
  if (!r || !(r.iv instanceof Uint8Array) || !(r.data instanceof ArrayBuffer)) return undefined;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: new Uint8Array(r.iv), additionalData: text.encode(id) },
      keys.records,
      r.data,
    );
    const parsed = JSON.parse(new TextDecoder().decode(plain)) as { k?: unknown; v?: unknown };
    return typeof parsed.k === 'string' ? { k: parsed.k, v: parsed.v } : undefined;
  } catch {
    return undefined;
  }
}

/** A KEK from a 6-digit PIN. */
export async function pinKek(pin: string, salt: Bytes, iterations = PBKDF2_ITERATIONS): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', text.encode(pin), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** A KEK from the screen lock's WebAuthn PRF output. */
export async function prfKek(prfOutput: ArrayBuffer | Bytes): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', prfOutput, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: text.encode(KEK_INFO) },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

export interface Wrapped {
  /** base64url */
  iv: string;
  /** base64url: the DEK encrypted with the KEK. */
  wrapped: string;
}

export async function wrapDek(kek: CryptoKey, dek: Bytes): Promise<Wrapped> {
  const iv = randomBytes(IV_BYTES);
  const wrapped = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: text.encode(KEK_INFO) }, kek, dek);
  return { iv: toB64(iv), wrapped: toB64(wrapped) };
}

/** The DEK, or undefined when the KEK is not the one that wrapped it (a wrong PIN). */
export async function unwrapDek(kek: CryptoKey, wrapped: Wrapped): Promise<Bytes | undefined> {
  try {
    const raw = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromB64(wrapped.iv), additionalData: text.encode(KEK_INFO) },
      kek,
      fromB64(wrapped.wrapped),
    );
    return raw.byteLength === DEK_BYTES ? new Uint8Array(raw) : undefined;
  } catch {
    return undefined;
  }
}

/** Whose copy this is, without saying who: salted SHA-256 of the issuer and patient id. */
export async function ownerFingerprint(salt: Bytes, issuer: string, patientId: string): Promise<string> {
  const id = text.encode(`${issuer.replace(/\/+$/, '')}\n${patientId}`);
  const input = new Uint8Array(salt.length + id.length);
  input.set(salt);
  input.set(id, salt.length);
  return toB64(await crypto.subtle.digest('SHA-256', input));
}
