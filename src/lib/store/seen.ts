/**
 * What the patient has opened on this device (results) and read
 * (messages), per patient, for "New" and "Unread". Kept for this tab's
 * session; a device the patient marks as their own keeps it longer.
 */
export type SeenKind = 'results' | 'messages';

/** Results and messages older than this are never "new", whatever the device remembers. */
export const NEW_FOR_DAYS = 30;

const key = (patientId: string) => `clara.seen.${patientId}`;

function load(patientId: string): Record<SeenKind, string[]> {
  try {
    const raw = sessionStorage.getItem(key(patientId));
    const parsed = raw ? (JSON.parse(raw) as Partial<Record<SeenKind, string[]>>) : {};
    return { results: parsed.results ?? [], messages: parsed.messages ?? [] };
  } catch {
    return { results: [], messages: [] };
  }
}

export function seenIds(patientId: string, kind: SeenKind): Set<string> {
  return new Set(load(patientId)[kind]);
}

export function markSeen(patientId: string, kind: SeenKind, ids: readonly string[]): void {
  const all = load(patientId);
  const set = new Set([...all[kind], ...ids]);
  all[kind] = [...set].slice(-2000);
  try {
    sessionStorage.setItem(key(patientId), JSON.stringify(all));
  } catch {
    // Storage full or refused: "new" marks come back next time, nothing is lost.
  }
}

/** The date (YYYY-MM-DD) from which results and messages can be "new". */
export function newSince(now = new Date()): string {
  return new Date(now.getTime() - NEW_FOR_DAYS * 86_400_000).toISOString().slice(0, 10);
}
