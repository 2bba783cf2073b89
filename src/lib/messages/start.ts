/**
 * When a page starts and the outbox may hold something (outbox-mark.ts), or
 * Background Sync asks: tidies away messages the clinic has had for a day,
 * then sends the rest now and whenever the connection returns.
 */
import { getSession } from '../auth/session.ts';
import { configureFhir } from '../fhir/client.ts';
import { smartSettings } from '../settings.ts';
import { flushOutbox, sendWhenOnline } from './deliver.ts';
import { expiredSent, listItems, removeItem } from './outbox.ts';
import { clearOutboxMark } from './outbox-mark.ts';

export async function sendOutbox(): Promise<void> {
  const session = getSession();
  if (!session) return;
  const items = await listItems(session.patientId);
  for (const item of expiredSent(items, new Date())) await removeItem(item);
  if (!items.some((i) => i.state !== 'sent')) return clearOutboxMark();
  configureFhir(smartSettings);
  sendWhenOnline();
  await flushOutbox();
}
