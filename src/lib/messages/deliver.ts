/**
 * Sending outbox items exactly once: each message carries its client
 * identifier and is created with If-None-Exist on it, so a retry after the
 * server received the first try returns the same message, never a second
 * copy. Tried on Send, on "Try again", when the connection returns, when the
 * app starts, and again by itself after a timeout or a server error.
 */
import { getSession, personKey } from '../auth/session.ts';
import type { Communication } from '@medplum/fhirtypes';
import { fhirRequest, search } from '../fhir/client.ts';
import { FhirError } from '../fhir/errors.ts';
import { outgoingMessage } from './outgoing.ts';
import { backoffMs, dueItems, listItems, outcomeOf, putItem, type OutboxItem } from './outbox.ts';

import { OUTBOX_EVENT } from './outbox-mark.ts';

export { OUTBOX_EVENT };

function announce(item: OutboxItem): void {
  dispatchEvent(new CustomEvent<OutboxItem>(OUTBOX_EVENT, { detail: item }));
}

const inFlight = new Map<string, Promise<OutboxItem>>();

/** Where the browser has Background Sync, it wakes Clara when the connection returns. */
export function askForBackgroundSync(): void {
  // SyncManager is not in TypeScript's DOM types yet.
  type WithSync = ServiceWorkerRegistration & { sync?: { register: (tag: string) => Promise<void> } };
  navigator.serviceWorker?.ready.then((r) => (r as WithSync).sync?.register('clara-outbox')).catch(() => undefined);
}

async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  // One sender per message across this browser's tabs, where the browser can say so.
  const locks = (navigator as Navigator & { locks?: { request: (n: string, f: () => Promise<T>) => Promise<T> } })
    .locks;
  return locks ? locks.request(name, fn) : fn();
}

async function attempt(item: OutboxItem, patientName?: string): Promise<OutboxItem> {
  const session = getSession();
  // An item waits for the person it was written for (patient and who signed in, session.ts personKey).
  if (!session || personKey(session) !== item.patientId) {
    const next = { ...item, state: 'needs-sign-in' as const };
    await putItem(next);
    return next;
  }
  const sending = {
    ...item,
    state: 'sending' as const,
    attempts: item.attempts + 1,
    attemptedAt: new Date().toISOString(),
  };
  await putItem(sending);
  announce(sending);
  const body = outgoingMessage({
    clientId: item.clientId,
    patientId: session.patientId,
    ...(session.fhirUser ? { sender: session.fhirUser } : {}),
    ...(session.caregiver?.full ? { senderName: session.caregiver.full } : {}),
    ...(patientName ? { patientName } : {}),
    text: item.text,
    recipients: item.recipients,
    sent: item.createdAt,
    ...(item.topic ? { topic: item.topic } : {}),
    ...(item.topicCode ? { topicCode: item.topicCode } : {}),
    ...(item.thread ? { thread: item.thread } : {}),
    ...(item.inResponseTo ? { inResponseTo: item.inResponseTo } : {}),
  });
  const identifier = `urn:ietf:rfc:3986|urn:uuid:${item.clientId}`;
  let next: OutboxItem;
  try {
    const response = await fhirRequest<Communication>('Communication', {
      method: 'POST',
      body,
      headers: { 'If-None-Exist': `identifier=${identifier}`, Prefer: 'return=representation' },
    });
    next = {
      ...sending,
      state: 'sent',
      sentAt: new Date().toISOString(),
      ...(response.body.id ? { serverId: response.body.id } : {}),
    };
  } catch (error) {
    const kind = error instanceof FhirError ? error.kind : 'unreachable';
    const status = error instanceof FhirError ? error.status : undefined;
    const outcome = outcomeOf({ error: kind, ...(status ? { status } : {}) });
    next = { ...sending, state: outcome.state, ...(outcome.reason ? { reason: outcome.reason } : {}) };
    if (outcome.state === 'sent') {
      // The server already had it: find its copy, by the same identifier.
      const found = await search('Communication', { identifier, _elements: 'id' }).catch(() => undefined);
      next = {
        ...next,
        sentAt: new Date().toISOString(),
        ...(found?.resources[0]?.id ? { serverId: found.resources[0].id } : {}),
      };
    } else if (outcome.state === 'failed') {
      next.nextAttemptAt = new Date(Date.now() + backoffMs(next.attempts)).toISOString();
      askForBackgroundSync();
    }
  }
  await putItem(next);
  announce(next);
  return next;
}

/** Sends one item now (unless it is already being sent); resolves with its new state. */
export function deliver(item: OutboxItem, patientName?: string): Promise<OutboxItem> {
  const running = inFlight.get(item.clientId);
  if (running) return running;
  const promise = withLock(`clara-outbox-${item.clientId}`, async () => {
    // Another tab may have sent it meanwhile.
    const current = (await listItems(item.patientId)).find((i) => i.clientId === item.clientId) ?? item;
    return current.state === 'sent' ? current : attempt(current, patientName);
  }).finally(() => inFlight.delete(item.clientId));
  inFlight.set(item.clientId, promise);
  return promise;
}

let timer: ReturnType<typeof setTimeout> | undefined;

/** Sends whatever is due, then waits for the next retry; returns the items as they now stand. */
export async function flushOutbox(patientName?: string): Promise<OutboxItem[]> {
  const session = getSession();
  if (!session) return [];
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return listItems(personKey(session));
  const items = await listItems(personKey(session));
  for (const item of dueItems(items, new Date())) await deliver(item, patientName);
  const after = await listItems(personKey(session));
  const waits = after
    .filter((i) => i.state === 'failed' && i.nextAttemptAt)
    .map((i) => Date.parse(i.nextAttemptAt as string) - Date.now());
  clearTimeout(timer);
  if (waits.length) timer = setTimeout(() => void flushOutbox(patientName), Math.max(1000, Math.min(...waits)));
  return after;
}

/** Tries again when the connection comes back. Call once per page. */
export function sendWhenOnline(patientName?: string): void {
  addEventListener('online', () => void flushOutbox(patientName));
}
