/**
 * The outbox: messages the patient sent, until the clinic's server has them.
 * Pure rules (what a response means, when to try again) and the store of
 * items. A message counts as sent only on a 2xx reply; a duplicate reply
 * (the server already has it) is also sent; nothing is ever dropped
 * silently: only the patient can discard a message that was not sent.
 */
import type { FhirErrorKind } from '../fhir/errors.ts';
import type { Topic } from './topics.ts';
import { store } from '../store/kv.ts';
import { markOutbox } from './outbox-mark.ts';

export type OutboxState =
  /** Waiting to be sent (offline, or queued). */
  | 'waiting'
  | 'sending'
  | 'sent'
  /** Failed in a way a later try may mend (timeout, 5xx, no connection): tried again by itself. */
  | 'failed'
  /** The server refused it (4xx): kept, and the patient is told what to do. */
  | 'refused'
  /** The sign-in ended: kept until the patient signs in again. */
  | 'needs-sign-in';

export type RefusalReason = 'too-large' | 'invalid' | 'not-allowed' | 'gone';

export interface OutboxItem {
  clientId: string;
  patientId: string;
  kind: 'new' | 'reply' | 'callback';
  thread?: string;
  inResponseTo?: string;
  recipients: { reference: string; display?: string }[];
  topic?: string;
  topicCode?: Topic;
  text: string;
  /** When the patient pressed Send (the message's `sent`). */
  createdAt: string;
  state: OutboxState;
  attempts: number;
  /** When the last try started (a 'sending' item whose page closed mid-way is tried again after a minute). */
  attemptedAt?: string;
  nextAttemptAt?: string;
  /** When the server accepted it. */
  sentAt?: string;
  serverId?: string;
  reason?: RefusalReason;
}

/** What the server's answer means for a message. */
export function outcomeOf(result: { status: number } | { error: FhirErrorKind; status?: number }): {
  state: OutboxState;
  reason?: RefusalReason;
} {
  if ('error' in result) {
    const { error, status } = result;
    if (error === 'expired') return { state: 'needs-sign-in' };
    if (status === 409 || status === 412) return { state: 'sent' };
    if (status === 413) return { state: 'refused', reason: 'too-large' };
    if (error === 'forbidden' || error === 'not-granted') return { state: 'refused', reason: 'not-allowed' };
    if (error === 'not-found') return { state: 'refused', reason: 'gone' };
    if (error === 'rejected') return { state: 'refused', reason: 'invalid' };
    // offline, unreachable, timeout, busy, server, malformed: try again later.
    return { state: 'failed' };
  }
  if (result.status >= 200 && result.status < 300) return { state: 'sent' };
  return { state: 'failed' };
}

const BACKOFF_SECONDS = [5, 15, 30, 60, 120, 300];

/** Wait before the next automatic try: 5 s, 15 s, 30 s, 1 min, 2 min, then every 5 min. */
export function backoffMs(attempts: number): number {
  return (BACKOFF_SECONDS[Math.min(Math.max(attempts - 1, 0), BACKOFF_SECONDS.length - 1)] as number) * 1000;
}

/** Items to send now: waiting ones, and failed ones whose wait is over. Never sent or refused ones. */
export function dueItems(items: OutboxItem[], now: Date): OutboxItem[] {
  return items.filter(
    (i) =>
      i.state === 'waiting' ||
      i.state === 'needs-sign-in' ||
      (i.state === 'failed' && (!i.nextAttemptAt || Date.parse(i.nextAttemptAt) <= now.getTime())) ||
      (i.state === 'sending' && (!i.attemptedAt || now.getTime() - Date.parse(i.attemptedAt) > 60_000)),
  );
}

/** A sent message stays this long: it shows in its conversation until the saved copy has it. */
export const KEEP_SENT_MS = 24 * 60 * 60_000;

/** Items to tidy away: only messages the clinic has had for a day. Unsent ones are never dropped. */
export function expiredSent(items: OutboxItem[], now: Date): OutboxItem[] {
  return items.filter((i) => i.state === 'sent' && now.getTime() - Date.parse(i.sentAt ?? i.createdAt) > KEEP_SENT_MS);
}

const key = (item: Pick<OutboxItem, 'patientId' | 'clientId'>) => `outbox.${item.patientId}.${item.clientId}`;

export async function putItem(item: OutboxItem): Promise<boolean> {
  if (item.state !== 'sent') markOutbox();
  return store().set(key(item), item);
}

export async function removeItem(item: Pick<OutboxItem, 'patientId' | 'clientId'>): Promise<void> {
  await store().delete(key(item));
}

export async function listItems(patientId: string): Promise<OutboxItem[]> {
  const keys = await store().keys(`outbox.${patientId}.`);
  const items = await Promise.all(keys.map((k) => store().get<OutboxItem>(k)));
  return items.filter((i): i is OutboxItem => !!i).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** A random UUID (crypto.randomUUID where the browser has it). */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
