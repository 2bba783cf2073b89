/**
 * Device preferences (text size, theme, language, reading speed). They are not patient data
 * and hold nothing about the patient, so they live in localStorage; tokens
 * and health data never do.
 */
import { prefKey } from './storage-keys.ts';
export const PREFS = {
  textSize: ['standard', 'large', 'xl'],
  theme: ['system', 'light', 'dark'],
  lang: ['en', 'es'],
  /** How fast "Listen" reads (src/lib/listen.ts). */
  readingSpeed: ['slower', 'normal', 'faster'],
} as const;

export type PrefName = keyof typeof PREFS;
export type PrefValue<N extends PrefName> = (typeof PREFS)[N][number];

/** Saves a preference; returns false when the device refuses (private mode, full disk). */
export function savePreference<N extends PrefName>(name: N, value: PrefValue<N>): boolean {
  try {
    localStorage.setItem(prefKey(name), value);
    return true;
  } catch {
    return false;
  }
}
