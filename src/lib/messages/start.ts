/**
 * Sends what waits in the outbox, when a page starts or Background Sync asks.
 * Looking costs only the device's storage; the code that sends (and the FHIR
 * client) is fetched only when something is waiting.
 */
import { getSession } from '../auth/session.ts';
import { initStorage } from '../store/device.ts';
import { listItems } from './outbox.ts';

export async function sendOutbox(): Promise<void> {
  const session = getSession();
  if (!session) return;
  initStorage();
  if (!(await listItems(session.patientId)).some((i) => i.state !== 'sent')) return;
  await (await import('./send-waiting.ts')).sendWaiting();
}
