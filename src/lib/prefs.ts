/**
 * Device preferences (text size, theme, language). They are not patient data
 * and hold nothing about the patient, so they live in localStorage; tokens
 * and health data never do.
 */
export const PREFS = {
  textSize: ['standard', 'large', 'xl'],
  theme: ['system', 'light', 'dark'],
  lang: ['en', 'es'],
} as const;

export type PrefName = keyof typeof PREFS;
export type PrefValue<N extends PrefName> = (typeof PREFS)[N][number];

const KEY = (name: PrefName) => `clara.${name}`;

export function readPreference<N extends PrefName>(name: N): PrefValue<N> | undefined {
  try {
    const value = localStorage.getItem(KEY(name));
    return (PREFS[name] as readonly string[]).includes(value ?? '') ? (value as PrefValue<N>) : undefined;
  } catch {
    return undefined;
  }
}

/** Saves a preference; returns false when the device refuses (private mode, full disk). */
export function savePreference<N extends PrefName>(name: N, value: PrefValue<N>): boolean {
  try {
    localStorage.setItem(KEY(name), value);
    return true;
  } catch {
    return false;
  }
}

/** Applies text size and theme to the page at once (the head script does it before first paint). */
export function applyPreferences(root: HTMLElement = document.documentElement): void {
  const size = readPreference('textSize');
  const theme = readPreference('theme');
  if (size && size !== 'standard') root.setAttribute('data-text-size', size);
  else root.removeAttribute('data-text-size');
  if (theme && theme !== 'system') root.setAttribute('data-theme', theme);
  else root.removeAttribute('data-theme');
}
