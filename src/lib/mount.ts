/**
 * Clara's islands: a page names a Preact component and the element it goes
 * in (components/Island.astro); its props wait in the page as JSON.
 *
 * Clara mounts them itself rather than through Astro's `client:` islands:
 * Astro's island loader (4.4 KB of script in every page) and its Preact
 * renderer cost 2.4 KB brotli per page that Clara's islands do not need:
 * they render only in the browser, from data fetched there.
 */
import { h, render, type ComponentType } from 'preact';

/** An island's props, from its JSON block. */
export function islandData<T>(id: string): T {
  const element = document.querySelector(`script[type="application/json"][data-island="${id}"]`);
  return JSON.parse(element?.textContent ?? '{}') as T;
}

/**
 * Is there patient data to show? This tab is signed in, or the patient keeps
 * a copy on this (their own) device. Otherwise the page's signed-out text stands.
 */
export function hasPatientData(): boolean {
  try {
    return !!sessionStorage.getItem('clara.session') || localStorage.getItem('clara.device') === 'own';
  } catch {
    return false;
  }
}

export function mount<P extends object>(id: string, Component: ComponentType<P>): void {
  const root = document.querySelector(`[data-island-root="${id}"]`);
  if (root && hasPatientData()) render(h(Component, islandData<P>(id)), root);
}
