/**
 * What the patient has opened on this device (results) and read
 * (messages), per patient, for "New" and "Unread". Kept where drafts are:
 * this tab, or the device when the patient keeps a copy on it.
 */
import { store } from './kv.ts';

export type SeenKind = 'results' | 'messages';

/** Results and messages older than this are never "new", whatever the device remembers. */
export const NEW_FOR_DAYS = 30;

const key = (patientId: string, kind: SeenKind) => `seen.${patientId}.${kind}`;

export async function seenIds(patientId: string, kind: SeenKind): Promise<Set<string>> {
  return new Set((await store().get<string[]>(key(patientId, kind))) ?? []);
}

export async function markSeen(patientId: string, kind: SeenKind, ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  const all = await seenIds(patientId, kind);
  for (const id of ids) all.add(id);
  // Storage full or refused: "new" marks come back next time; nothing is lost.
  await store().set(key(patientId, kind), [...all].slice(-2000));
}

/** The date (YYYY-MM-DD) from which results and messages can be "new". */
export function newSince(now = new Date()): string {
  return new Date(now.getTime() - NEW_FOR_DAYS * 86_400_000).toISOString().slice(0, 10);
}
