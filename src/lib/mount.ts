/**
 * Clara's islands: a page names a Preact component and the element it goes
 * in (components/Island.astro); its props wait in the page as JSON.
 *
 * Clara mounts them itself rather than through Astro's `client:` islands:
 * Astro's island loader (4.4 KB of script in every page) and its Preact
 * renderer cost 2.4 KB brotli per page that Clara's islands do not need:
 * they render only in the browser, from data fetched there.
 *
 * The FHIR client is configured here, once, for every island of the page
 * (the clinic's settings come from the build: settings.ts).
 */
import { h, render, type ComponentType } from 'preact';
import { configureFhir } from './fhir/client.ts';
import { smartSettings } from './settings.ts';
import { readFlag, tabKey } from './store/flag.ts';
import { SESSION } from './storage-keys.ts';

/** An island's props, from its JSON block. */
export function islandData<T>(id: string): T {
  const element = document.querySelector(`script[type="application/json"][data-island="${id}"]`);
  return JSON.parse(element?.textContent ?? '{}') as T;
}

/**
 * Is there patient data to show? This tab is signed in, or it has opened the
 * copy kept on this (the patient's own) device. Otherwise the page's
 * signed-out text stands, with "Open your saved information" where a locked
 * copy is kept.
 */
export function hasPatientData(): boolean {
  try {
    return !!sessionStorage.getItem(SESSION) || !!tabKey();
  } catch {
    return false;
  }
}

const waiting: (() => void)[] = [];

/** A locked copy: the page's unlock form opens it (its code loads now), then the page's islands render. */
function waitForUnlock(): void {
  if (waiting.length > 1) return;
  addEventListener('clara:unlocked', () => {
    for (const draw of waiting.splice(0)) draw();
  });
  const box = document.querySelector<HTMLElement>('[data-unlock]');
  if (!box || !readFlag()) return;
  // A press before the form's code has arrived (a slow connection) is kept and made once it has.
  let early: HTMLButtonElement | undefined;
  const hold = (event: Event) => {
    const button = (event.target as Element).closest?.('button');
    if (!button) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    early = button;
  };
  box.addEventListener('click', hold, true);
  void import('./unlock-ui.ts').then((m) => {
    m.wireUnlock(box);
    box.removeEventListener('click', hold, true);
    early?.click();
  });
}

export function mount<P extends object>(id: string, Component: ComponentType<P>): void {
  configureFhir(smartSettings);
  const root = document.querySelector(`[data-island-root="${id}"]`);
  if (!root) return;
  const draw = () => render(h(Component, islandData<P>(id)), root);
  if (hasPatientData()) draw();
  else {
    waiting.push(draw);
    waitForUnlock();
  }
}
