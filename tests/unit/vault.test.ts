/**
 * The copy kept on the patient's own device: the record format (nothing
 * readable, ids opaque, bound to their place), the key derivation
 * parameters, the wrong-PIN counter, expiry, the owner fingerprint, the
 * pre-paint mark, the attachment type rule, and the words of these screens
 * (grade 6 in English, "easy" in Spanish).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { blobType } from '../../src/lib/fhir/attachment-type.ts';
import { parseFlag } from '../../src/lib/store/flag.ts';
import {
  dataKeys,
  DEK_BYTES,
  fromB64,
  IV_BYTES,
  KEK_INFO,
  ownerFingerprint,
  PAD_TO,
  PBKDF2_ITERATIONS,
  pinKek,
  prfKek,
  randomBytes,
  recordId,
  SALT_BYTES,
  seal,
  toB64,
  unseal,
  unwrapDek,
  wrapDek,
} from '../../src/lib/store/vault-crypto.ts';
import {
  afterWrongPin,
  expiryFrom,
  isExpired,
  isMeta,
  isPin,
  MAX_PIN_TRIES,
  WARN_AFTER,
  type VaultMeta,
} from '../../src/lib/store/vault-rules.ts';
import { fleschKincaidGrade, stats, sumStats, szigrisztPazos } from './support/readability.ts';

const latin = (data: ArrayBuffer | Uint8Array) =>
  Buffer.from(data instanceof Uint8Array ? data : new Uint8Array(data)).toString('latin1');
const utf8 = (data: ArrayBuffer | Uint8Array) =>
  Buffer.from(data instanceof Uint8Array ? data : new Uint8Array(data)).toString('utf8');

describe('record format', () => {
  const value = {
    name: 'Margaret Olsen',
    potassium: '6.2 mmol/L',
    date: '2026-03-14',
    text: 'Please call me about my potassium',
  };

  test('a sealed record holds an IV and ciphertext only: no key, no name, value, date or text', async () => {
    const keys = await dataKeys(randomBytes(DEK_BYTES));
    const logical = 'saved.patient-123.result.obs-9';
    const id = await recordId(keys, 'saved', logical);
    const record = await seal(keys, id, logical, value);
    expect(Object.keys(record).sort()).toEqual(['data', 'iv']);
    expect(record.iv).toHaveLength(IV_BYTES);
    const bytes = latin(record.data) + utf8(record.data) + id;
    for (const secret of [
      logical,
      'patient-123',
      'obs-9',
      ...Object.values(value),
      'Margaret',
      '6.2',
      '2026',
      'potassium',
    ]) {
      expect(bytes).not.toContain(secret);
    }
    // Padded: the size says little (AES-GCM adds a 16-byte tag).
    expect((record.data.byteLength - 16) % PAD_TO).toBe(0);
    expect(await unseal(keys, id, record)).toEqual({ k: logical, v: value });
  });

  test('ids are opaque and stable for one key, different by store and by copy', async () => {
    const dek = randomBytes(DEK_BYTES);
    const keys = await dataKeys(dek);
    const again = await dataKeys(dek);
    const other = await dataKeys(randomBytes(DEK_BYTES));
    const id = await recordId(keys, 'kv', 'draft.p.new');
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await recordId(again, 'kv', 'draft.p.new')).toBe(id);
    expect(await recordId(keys, 'saved', 'draft.p.new')).not.toBe(id);
    expect(await recordId(other, 'kv', 'draft.p.new')).not.toBe(id);
  });

  test('a record does not open with another key, moved to another id, or changed', async () => {
    const keys = await dataKeys(randomBytes(DEK_BYTES));
    const id = await recordId(keys, 'kv', 'a');
    const record = await seal(keys, id, 'a', 'secret');
    expect(await unseal(await dataKeys(randomBytes(DEK_BYTES)), id, record)).toBeUndefined();
    expect(await unseal(keys, await recordId(keys, 'kv', 'b'), record)).toBeUndefined();
    const changed = new Uint8Array(record.data.slice(0));
    changed[0] = (changed[0] ?? 0) ^ 1;
    expect(await unseal(keys, id, { iv: record.iv, data: changed.buffer })).toBeUndefined();
    expect(await unseal(keys, id, { v: 'plain text' })).toBeUndefined();
    // Every record has its own IV.
    expect(toB64((await seal(keys, id, 'a', 'secret')).iv)).not.toBe(toB64(record.iv));
  });
});

describe('keys', () => {
  test('the PIN key: PBKDF2-SHA-256 with at least 600,000 iterations and a 16-byte random salt', async () => {
    expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    expect(SALT_BYTES).toBe(16);
    const { newPinLock } = await import('../../src/lib/store/lock.ts');
    const made = await newPinLock('482915');
    expect(made.lock).toMatchObject({ kind: 'pin', iterations: PBKDF2_ITERATIONS });
    if (made.lock.kind !== 'pin') throw new Error('a PIN lock');
    expect(fromB64(made.lock.salt)).toHaveLength(16);
    expect(made.dek).toHaveLength(DEK_BYTES);
    // The wrapped key is not the key.
    expect(made.lock.wrapped).not.toContain(toB64(made.dek));
    const right = await unwrapDek(await pinKek('482915', fromB64(made.lock.salt)), made.lock);
    expect(right && toB64(right)).toBe(toB64(made.dek));
    expect(await unwrapDek(await pinKek('482916', fromB64(made.lock.salt)), made.lock)).toBeUndefined();
    // Another salt, another key: the same PIN elsewhere does not open it.
    expect(await unwrapDek(await pinKek('482915', randomBytes(16)), made.lock)).toBeUndefined();
  }, 30_000);

  test('the screen-lock key: HKDF-SHA-256 of the PRF output, info "clara vault"', async () => {
    expect(KEK_INFO).toBe('clara vault');
    const prf = randomBytes(32);
    const dek = randomBytes(DEK_BYTES);
    const wrapped = await wrapDek(await prfKek(prf), dek);
    // The same PRF output (the same credential and salt) gives the same key; another does not.
    expect(toB64((await unwrapDek(await prfKek(prf.slice()), wrapped)) ?? new Uint8Array())).toBe(toB64(dek));
    expect(await unwrapDek(await prfKek(randomBytes(32)), wrapped)).toBeUndefined();
  });

  test('the owner fingerprint is salted, says nothing of the id, and tells patients apart', async () => {
    const salt = randomBytes(16);
    const a = await ownerFingerprint(salt, 'https://ehr.example.org/fhir/', 'patient-123');
    expect(a).toBe(await ownerFingerprint(salt, 'https://ehr.example.org/fhir', 'patient-123'));
    expect(a).not.toContain('patient-123');
    expect(await ownerFingerprint(salt, 'https://ehr.example.org/fhir', 'patient-124')).not.toBe(a);
    expect(await ownerFingerprint(salt, 'https://other.example.org/fhir', 'patient-123')).not.toBe(a);
    expect(await ownerFingerprint(randomBytes(16), 'https://ehr.example.org/fhir', 'patient-123')).not.toBe(a);
  });
});

describe('rules', () => {
  test('a PIN is 6 digits', () => {
    expect(isPin('012345')).toBe(true);
    for (const bad of ['12345', '1234567', '12 345', 'abcdef', '１２３４５６']) expect(isPin(bad), bad).toBe(false);
  });

  test('wrong PINs: "try again" twice, how many are left from the 3rd, erased at the 5th', () => {
    expect(WARN_AFTER).toBe(3);
    expect(MAX_PIN_TRIES).toBe(5);
    expect([1, 2, 3, 4, 5, 6].map(afterWrongPin)).toEqual([
      { erase: false },
      { erase: false },
      { erase: false, left: 2 },
      { erase: false, left: 1 },
      { erase: true },
      { erase: true },
    ]);
  });

  test('expiry: keepDays after the last sign-in, and a copy at its time is gone', () => {
    const now = Date.UTC(2026, 0, 1);
    const at = expiryFrom(now, 30);
    expect(at - now).toBe(30 * 86_400_000);
    expect(isExpired({ expiresAt: at }, at - 1)).toBe(false);
    expect(isExpired({ expiresAt: at }, at)).toBe(true);
    expect(isExpired({ expiresAt: Number.NaN }, now)).toBe(true);
  });

  test('a meta record as written is recognised; anything else is no copy', () => {
    const meta: VaultMeta = {
      v: 1,
      lock: { kind: 'pin', salt: 'c2FsdA', iterations: 600_000, iv: 'aXY', wrapped: 'd3JhcHBlZA' },
      ownerSalt: 'b3duZXI',
      expiresAt: 1,
      failures: 0,
    };
    expect(isMeta(meta)).toBe(true);
    expect(
      isMeta({ ...meta, lock: { kind: 'key', credentialId: 'aWQ', prfSalt: 'cw', iv: 'aXY', wrapped: 'dw' } }),
    ).toBe(true);
    expect(isMeta({ ...meta, lock: { ...meta.lock, iterations: 1000 } })).toBe(false);
    expect(isMeta({ ...meta, v: 2 })).toBe(false);
    expect(isMeta({ ...meta, lock: { kind: 'password', iv: 'aXY', wrapped: 'dw' } })).toBe(false);
    expect(isMeta(undefined)).toBe(false);
  });

  test('the pre-paint mark: how the copy is locked and when it is erased, nothing else', () => {
    expect(parseFlag('pin.1767225600000')).toEqual({ lock: 'pin', expiresAt: 1767225600000 });
    expect(parseFlag('key.1')).toEqual({ lock: 'key', expiresAt: 1 });
    for (const bad of ['1', 'pin', 'pin.', 'face.1', 'pin.1.2', null, undefined])
      expect(parseFlag(bad), String(bad)).toBeUndefined();
  });
});

describe('attachments', () => {
  test('only a short list of harmless types is kept; everything else is a plain download', () => {
    expect(blobType('application/pdf')).toBe('application/pdf');
    expect(blobType('IMAGE/PNG')).toBe('image/png');
    expect(blobType('image/jpeg')).toBe('image/jpeg');
    expect(blobType('image/gif')).toBe('image/gif');
    expect(blobType('image/webp')).toBe('image/webp');
    expect(blobType('text/plain')).toBe('text/plain');
    expect(blobType('text/plain; charset=UTF-8')).toBe('text/plain;charset=utf-8');
    expect(blobType('text/plain; charset="x<script>"')).toBe('text/plain');
    for (const risky of [
      'text/html',
      'image/svg+xml',
      'application/xhtml+xml',
      'text/xml',
      'application/javascript',
      'text/html; charset=utf-8',
      'application/pdf+html',
      '',
      undefined,
      null,
    ]) {
      expect(blobType(risky), String(risky)).toBe('application/octet-stream');
    }
  });
});

describe('words of these screens', () => {
  const load = (lang: 'en' | 'es', ns: string) =>
    JSON.parse(readFileSync(new URL(`../../locales/${lang}/${ns}.json`, import.meta.url), 'utf8')) as Record<
      string,
      string
    >;
  const ours = (lang: 'en' | 'es') => {
    const common = Object.entries(load(lang, 'common')).filter(([k]) => /^(device|lock|unlock|idle|privacy)\./.test(k));
    const settings = Object.entries(load(lang, 'settings')).filter(([k]) => k.startsWith('device.'));
    return [...common, ...settings].map(([, v]) => v.replace(/\{\{\w+\}\}/g, '30'));
  };

  test('English reads at grade 6 or below (Flesch–Kincaid), Spanish is "easy" (Szigriszt–Pazos ≥ 65)', () => {
    expect(fleschKincaidGrade(sumStats(ours('en').map((t) => stats(t, 'en'))))).toBeLessThanOrEqual(6);
    expect(szigrisztPazos(sumStats(ours('es').map((t) => stats(t, 'es'))))).toBeGreaterThanOrEqual(65);
  });
});
