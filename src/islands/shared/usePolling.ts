/** How a message page keeps up with the clinic while it is open. */
import { useEffect, useRef } from 'preact/hooks';
import type { PatientData } from './usePatientData.ts';

/** The longest a page waits between looks after failures. */
const MAX_EVERY_MS = 15 * 60_000;

/**
 * Calls `refresh` after `every` ms (doubling, up to 15 minutes, while the
 * clinic cannot be reached and the page shows an older copy) and whenever the
 * patient comes back to the app. Armed again each time `state` changes;
 * idle while `active` is false.
 */
export function usePolling(state: PatientData<unknown>, active: boolean, every: number, refresh: () => void): void {
  const delay = useRef(every);
  useEffect(() => {
    if (!active) return;
    delay.current = state.status === 'ready' && state.stale ? Math.min(delay.current * 2, MAX_EVERY_MS) : every;
    const timer = setTimeout(refresh, delay.current);
    const onVisible = () => document.visibilityState === 'visible' && refresh();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [state]);
}
