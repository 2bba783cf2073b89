/**
 * The copy kept on the patient's own device, encrypted at rest (the
 * cryptography: vault-crypto.ts; the rules and the clear meta record:
 * vault-rules.ts). Loaded only where a copy is open, being opened, set up or
 * erased.
 *
 * Everything kept goes into two IndexedDB stores under opaque ids: `kv`
 * (drafts, outbox, "seen" marks) and `saved` (the saved copy, the last
 * patient). Listing `kv` by prefix decrypts every record and keeps those
 * whose logical key matches: that store is small.
 */
import { tell } from '../channel.ts';
import { markOutbox } from '../messages/outbox-mark.ts';
import { dropTabKey, readFlag, tabKey, writeFlag } from './flag.ts';
import { idbDelete, idbEntries, idbGet, idbSet, idbWipe } from './idb.ts';
import { sessionStore, type KeyValueStore } from './kv.ts';
import {
  dataKeys,
  fromB64,
  ownerFingerprint,
  randomBytes,
  recordId,
  SALT_BYTES,
  seal,
  toB64,
  unseal,
  type DataKeys,
} from './vault-crypto.ts';
import { expiryFrom, isExpired, isMeta, type Lock, type VaultMeta } from './vault-rules.ts';
import { OUTBOX_MARK, VAULT_FLAG, VAULT_KEY } from '../storage-keys.ts';

const META = 'vault';

export async function readMeta(): Promise<VaultMeta | undefined> {
  const value = await idbGet('meta', META);
  return isMeta(value) ? value : undefined;
}

export async function writeMeta(meta: VaultMeta): Promise<boolean> {
  const ok = await idbSet('meta', META, meta);
  if (ok) writeFlag({ lock: meta.lock.kind, expiresAt: meta.expiresAt });
  return ok;
}

let cached: { raw: string; keys: Promise<DataKeys> } | undefined;

function keys(): Promise<DataKeys> | undefined {
  const raw = tabKey();
  if (!raw) return undefined;
  if (cached?.raw !== raw) cached = { raw, keys: dataKeys(fromB64(raw)) };
  return cached.keys;
}

function encrypted(place: 'kv' | 'saved'): KeyValueStore {
  return {
    async get<T>(key: string) {
      const k = await keys();
      if (!k) return undefined;
      const id = await recordId(k, place, key);
      const opened = await unseal(k, id, await idbGet(place, id));
      return opened?.k === key ? (opened.v as T) : undefined;
    },
    async set(key, value) {
      const k = await keys();
      if (!k) return false;
      const id = await recordId(k, place, key);
      return idbSet(place, id, await seal(k, id, key, value));
    },
    async delete(key) {
      const k = await keys();
      if (k) await idbDelete(place, await recordId(k, place, key));
    },
    async keys(prefix) {
      const k = await keys();
      if (!k) return [];
      const out: string[] = [];
      for (const [id, record] of await idbEntries(place)) {
        const opened = await unseal(k, id, record);
        if (opened?.k.startsWith(prefix)) out.push(opened.k);
      }
      return out;
    },
  };
}

export const vaultKv = encrypted('kv');
export const vaultSaved = encrypted('saved');

/** Opens the copy in this tab: its key goes where this tab's sign-in lives (sessionStorage). */
export function holdKey(dek: Uint8Array): void {
  try {
    sessionStorage.setItem(VAULT_KEY, toB64(dek));
  } catch {
    // Refused: the copy cannot be open in this tab; Clara keeps this tab's data instead.
  }
  document.documentElement.setAttribute('data-unlocked', '');
}

/**
 * Erases the copy kept on this device: its records, its meta, its marks, and
 * this tab's key; other tabs are told to drop theirs.
 */
export async function eraseVault(): Promise<void> {
  dropTabKey();
  try {
    localStorage.removeItem(VAULT_FLAG);
    // The outbox mark of the copy (this tab's own, in sessionStorage, stays with this tab's messages).
    localStorage.removeItem(OUTBOX_MARK);
  } catch {
    // nothing stored
  }
  document.documentElement.removeAttribute('data-vault');
  cached = undefined;
  await idbWipe();
  tell({ type: 'vault-erased' });
}

/** The copy's meta when there is a current one; an expired copy is erased first (checked before anything is shown). */
export async function currentMeta(now = Date.now()): Promise<VaultMeta | undefined> {
  const meta = await readMeta();
  if (meta && !isExpired(meta, now)) return meta;
  if (meta || readFlag()) await eraseVault();
  return undefined;
}

export interface Owner {
  issuer: string;
  patientId: string;
}

/**
 * A new copy locked by `lock` (which wraps `dek`), for `owner` when someone is
 * signed in; what this tab kept so far moves into it.
 */
export async function createVault(
  dek: Uint8Array<ArrayBuffer>,
  lock: Lock,
  owner: Owner | undefined,
  keepDays: number,
): Promise<boolean> {
  await idbWipe();
  const salt = randomBytes(SALT_BYTES);
  const meta: VaultMeta = {
    v: 1,
    lock,
    ownerSalt: toB64(salt),
    ...(owner ? { owner: await ownerFingerprint(salt, owner.issuer, owner.patientId) } : {}),
    expiresAt: expiryFrom(Date.now(), keepDays),
    failures: 0,
  };
  if (!(await writeMeta(meta))) return false;
  holdKey(dek);
  document.documentElement.setAttribute('data-vault', lock.kind);
  for (const key of await sessionStore.keys('')) {
    const value = await sessionStore.get(key);
    if (value === undefined) continue;
    if (await (key.startsWith('saved.') ? vaultSaved : vaultKv).set(key, value)) await sessionStore.delete(key);
  }
  // A message waiting in this tab now waits in the copy: the mark goes where other tabs see it.
  if ((await vaultKv.keys('outbox.')).length) markOutbox();
  return true;
}

export type AfterSignIn = 'none' | 'open' | 'locked' | 'erased-other';

/**
 * Right after a sign-in: another patient's copy is erased first; the owner's
 * sign-in moves the date the copy is erased; says whether this tab has the
 * copy open or should offer to open it.
 */
export async function afterSignIn(owner: Owner, keepDays: number, now = Date.now()): Promise<AfterSignIn> {
  const meta = await currentMeta(now);
  if (!meta) return 'none';
  const fingerprint = await ownerFingerprint(fromB64(meta.ownerSalt), owner.issuer, owner.patientId);
  if (meta.owner && meta.owner !== fingerprint) {
    await eraseVault();
    return 'erased-other';
  }
  await writeMeta({ ...meta, owner: fingerprint, expiresAt: expiryFrom(now, keepDays) });
  return tabKey(now) ? 'open' : 'locked';
}
