/**
 * Two small marks about the copy kept on the patient's own device (the
 * vault, vault.ts), read before the first paint and by every page. Neither
 * holds anything about the patient:
 *
 * - `clara.vault` in localStorage: that an encrypted copy exists, how it is
 *   locked, and when it is erased: "pin.1767225600000" or "key.…" (screen
 *   lock). PrePaint.astro marks <html data-vault="pin|key"> from it, so the
 *   page shows "Open your saved information" from the first paint.
 * - `clara.vault.key` in this tab's sessionStorage: the copy's key while this
 *   tab has it open (where the sign-in's tokens live too). A new tab has none
 *   and must unlock; <html data-unlocked>.
 */
import { VAULT_FLAG, VAULT_KEY } from '../storage-keys.ts';
export type LockKind = 'pin' | 'key';

export interface VaultFlag {
  lock: LockKind;
  /** Epoch ms: the copy is erased from then on. */
  expiresAt: number;
}

export function parseFlag(value: string | null | undefined): VaultFlag | undefined {
  const match = /^(pin|key)\.(\d{1,16})$/.exec(value ?? '');
  return match ? { lock: match[1] as LockKind, expiresAt: Number(match[2]) } : undefined;
}

export function readFlag(): VaultFlag | undefined {
  try {
    return parseFlag(localStorage.getItem(VAULT_FLAG));
  } catch {
    return undefined;
  }
}

export function writeFlag(flag: VaultFlag): void {
  try {
    localStorage.setItem(VAULT_FLAG, `${flag.lock}.${flag.expiresAt}`);
  } catch {
    // The copy still opens from the unlock form; only the first paint does not know.
  }
}

/** This tab's key for the copy (base64url), when the copy exists, is current and this tab opened it. */
export function tabKey(now = Date.now()): string | null {
  try {
    const flag = readFlag();
    return flag && flag.expiresAt > now ? sessionStorage.getItem(VAULT_KEY) : null;
  } catch {
    return null;
  }
}

/** The copy kept on this device is open in this tab: what Clara keeps goes into it. */
export function vaultOpen(): boolean {
  return !!tabKey() && typeof indexedDB !== 'undefined';
}

/** Forgets this tab's key (locks the copy for this tab). */
export function dropTabKey(): void {
  try {
    sessionStorage.removeItem(VAULT_KEY);
  } catch {
    // nothing stored
  }
  document.documentElement.removeAttribute('data-unlocked');
}
