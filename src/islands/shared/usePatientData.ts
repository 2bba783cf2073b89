/**
 * Loads a page's patient data: the saved copy first (shown at once, labelled
 * with when it was saved), then the clinic's current data in the background.
 * A copy saved a moment ago is not fetched again. Without a signal the copy
 * stays, labelled; nothing pretends to be current.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { getSession, personKey } from '../../lib/auth/session.ts';
import { FhirError } from '../../lib/fhir/errors.ts';
import { isLang } from '../../lib/i18n/langs.ts';
import { goToSignIn } from '../../lib/navigation.ts';
import { keepsCopy } from '../../lib/store/device.ts';
import { isFresh, lastPatient, loadCopy, rememberPatient, saveCopy } from '../../lib/store/saved.ts';

export type PatientData<T> =
  | { status: 'loading' }
  | { status: 'failed'; error: unknown }
  | {
      status: 'ready';
      data: T;
      /** Set while what is shown is the saved copy: when it was saved. */
      savedAt?: string;
      /** The clinic could not be reached for newer data (offline, timeout…). */
      stale?: unknown;
      /** Signed out: this is the device's copy only. */
      signedOut?: boolean;
      patientId: string;
    };

export interface Options<T> {
  /** Key of the saved copy ("results", "thread.123"); undefined: nothing to load. */
  name: string | undefined;
  fetch: (signal: AbortSignal) => Promise<T>;
  /** Skip the clinic when the copy is a moment old (lists that rarely change). */
  reuseFresh?: boolean;
  /** Bump to load again (Try again, polling). */
  attempt?: number;
  /** What of the data the saved copy keeps (a long list keeps its newest part); all of it by default. */
  keep?: (data: T) => T;
}

export function usePatientData<T>({
  name,
  fetch,
  reuseFresh = false,
  attempt = 0,
  keep = (data) => data,
}: Options<T>): [PatientData<T>, (update: (data: T) => T) => void] {
  const [state, setState] = useState<PatientData<T>>({ status: 'loading' });
  /** Current data from the clinic is on screen (later loads refresh it in place). */
  const shown = useRef(false);

  useEffect(() => {
    if (!name) return;
    const controller = new AbortController();
    (async () => {
      const session = getSession();
      // Kept per person (session.ts, personKey): a caregiver never sees one parent's copy under the other's name.
      const patientId = (session ? personKey(session) : undefined) ?? (await lastPatient());
      if (!patientId) return;
      const saved = await loadCopy<T>(patientId, name);
      if (controller.signal.aborted) return;
      // Only the patient's own device keeps a copy to show ("Saved on this phone"). A shared
      // device's tab keeps one only so a page seen a moment ago is not fetched again.
      const copy = keepsCopy() || (reuseFresh && isFresh(saved)) ? saved : undefined;
      if (copy && !shown.current)
        setState({
          status: 'ready',
          data: copy.data,
          savedAt: copy.savedAt,
          patientId,
          ...(session ? {} : { signedOut: true }),
        });
      if (!session) {
        // Signed out on the patient's own device: the copy stands in for the signed-out page.
        if (copy) document.documentElement.setAttribute('data-showing-copy', '');
        return;
      }
      const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
      if (copy && reuseFresh && isFresh(copy) && !shown.current && !offline) {
        shown.current = true;
        setState({ status: 'ready', data: copy.data, patientId });
        return;
      }
      try {
        const data = await fetch(controller.signal);
        if (controller.signal.aborted) return;
        shown.current = true;
        setState({ status: 'ready', data, patientId });
        void saveCopy(patientId, name, keep(data));
        void rememberPatient(patientId);
      } catch (error) {
        if (controller.signal.aborted) return;
        const kind = error instanceof FhirError ? error.kind : undefined;
        if (kind === 'expired') {
          // The session ended: sign in again, then come back here.
          const lang = document.documentElement.lang;
          goToSignIn(isLang(lang) ? lang : 'en');
          return;
        }
        // Keep showing the copy when the clinic cannot be reached; an ended session or a refusal is said instead.
        if (shown.current) {
          // Polling: keep what is on screen, quietly; the next try may work.
          setState((s) => (s.status === 'ready' ? { ...s, stale: error } : s));
        } else if (copy && kind !== 'forbidden' && kind !== 'not-granted' && kind !== 'not-found') {
          setState({ status: 'ready', data: copy.data, savedAt: copy.savedAt, stale: error, patientId });
        } else setState({ status: 'failed', error });
      }
    })();
    return () => controller.abort();
  }, [name, attempt]);

  const update = (change: (data: T) => T) =>
    setState((s) => {
      if (s.status !== 'ready') return s;
      const data = change(s.data);
      void saveCopy(s.patientId, name ?? '', keep(data));
      return { ...s, data };
    });
  return [state, update];
}
