/**
 * The settings form: shows the saved choices, applies a new text size or
 * colours at once, saves it on this device and says so in a polite live
 * region. The device choice is its own form, saved only by its button
 * (src/lib/device-ui.ts, loaded after the page shows).
 */
import { fill } from '../lib/i18n/format.ts';
import { PREFS, savePreference, type PrefName, type PrefValue } from '../lib/prefs.ts';
import { prefKey } from '../lib/storage-keys.ts';

/** A saved preference, when it is one Clara knows. */
function readPreference<N extends PrefName>(name: N): PrefValue<N> | undefined {
  try {
    const value = localStorage.getItem(prefKey(name));
    return (PREFS[name] as readonly string[]).includes(value ?? '') ? (value as PrefValue<N>) : undefined;
  } catch {
    return undefined;
  }
}

/** Applies text size and theme to the page at once (the head script does it before first paint). */
function applyPreferences(root: HTMLElement = document.documentElement): void {
  const size = readPreference('textSize');
  const theme = readPreference('theme');
  if (size && size !== 'standard') root.setAttribute('data-text-size', size);
  else root.removeAttribute('data-text-size');
  // "As my phone": the phone's own light or dark (as PrePaint.astro does before the first paint).
  const system = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : undefined;
  const shown = theme && theme !== 'system' ? theme : system;
  if (shown) root.setAttribute('data-theme', shown);
  else root.removeAttribute('data-theme');
}

const form = document.querySelector<HTMLFormElement>('form[data-settings-form]');
const status = document.querySelector<HTMLElement>('[data-settings-status]');

if (form && status) {
  const names = ['textSize', 'theme', 'readingSpeed'] as const satisfies readonly PrefName[];
  // Reading speed matters only where the browser can read aloud.
  const speed = form.querySelector<HTMLElement>('[data-reading-speed]');
  if (speed && 'speechSynthesis' in window) speed.hidden = false;
  for (const name of names) {
    const saved = readPreference(name);
    if (saved) {
      const input = form.querySelector<HTMLInputElement>(`input[name="${name}"][value="${saved}"]`);
      if (input) input.checked = true;
    }
  }

  const say = (input: HTMLInputElement) => {
    const label = input.closest('label')?.textContent?.trim() ?? input.value;
    const note = document.createElement('p');
    note.className = 'notice notice--ok';
    note.textContent = fill(form.dataset['saved'] ?? '{{choice}}', { choice: label });
    status.replaceChildren(note);
  };

  form.addEventListener('change', (event) => {
    const input = event.target as HTMLInputElement;
    const name = input.name as (typeof names)[number];
    if (!names.includes(name)) return;
    const value = input.value;
    if (!(PREFS[name] as readonly string[]).includes(value)) return;
    savePreference(name, value as never);
    applyPreferences();
    say(input);
  });

  form.addEventListener('submit', (event) => event.preventDefault());
}

void import('../lib/device-ui.ts').then((m) => m.settingsDevice());
