/**
 * Drafts: what the patient types is kept as they type and comes back after
 * a reload, a crash or a lost connection. Only the patient discards them.
 */
import { store } from '../store/kv.ts';

export interface Draft {
  text: string;
  /** New message: chosen recipient and topic; call-back: phone and times. */
  fields?: Record<string, string | string[]>;
  savedAt: string;
}

const key = (patientId: string, name: string) => `draft.${patientId}.${name}`;

export function loadDraft(patientId: string, name: string): Promise<Draft | undefined> {
  return store().get<Draft>(key(patientId, name));
}

export function saveDraft(patientId: string, name: string, draft: Omit<Draft, 'savedAt'>): Promise<boolean> {
  return store().set(key(patientId, name), { ...draft, savedAt: new Date().toISOString() });
}

export function discardDraft(patientId: string, name: string): Promise<void> {
  return store().delete(key(patientId, name));
}

/** Saves at most every `delay` ms while typing, and at once on `flush()` (leaving the page). */
export function draftSaver(save: () => Promise<unknown>, delay = 400) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    schedule() {
      clearTimeout(timer);
      timer = setTimeout(() => void save(), delay);
    },
    flush() {
      clearTimeout(timer);
      timer = undefined;
      return save();
    },
  };
}
