/**
 * Is this the patient's own device? On their own phone Clara keeps a copy
 * of what they have seen, their drafts and unsent messages, encrypted and
 * locked with their screen lock or a Clara PIN (vault.ts), so it works
 * without a signal. Until that lock is set, and on a shared or public
 * device, it keeps nothing beyond this tab. Not decided yet counts as shared.
 */
import { readFlag, vaultOpen } from './flag.ts';
import { DEVICE } from '../storage-keys.ts';

export type DeviceMode = 'own' | 'shared';

export function deviceMode(): DeviceMode | undefined {
  try {
    const value = localStorage.getItem(DEVICE);
    return value === 'own' || value === 'shared' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A copy is kept on this device and open in this tab. */
export function keepsCopy(): boolean {
  return vaultOpen();
}

/** Should Home ask? Not decided yet, or "own" without a lock set (nothing is kept then). */
export function deviceUndecided(): boolean {
  const mode = deviceMode();
  return !mode || (mode === 'own' && !readFlag());
}

/** Records the patient's choice (a device preference, never patient data). "Shared" erases any copy kept. */
export async function setDeviceMode(mode: DeviceMode | undefined): Promise<void> {
  try {
    if (mode) localStorage.setItem(DEVICE, mode);
    else localStorage.removeItem(DEVICE);
  } catch {
    // Cannot remember the choice: nothing is kept either way.
  }
  if (mode !== 'own') await (await import('./vault.ts')).eraseVault();
}
