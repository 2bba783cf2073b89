/** Sends what waits in the outbox, when a page starts or Background Sync asks. */
import { configureFhir } from '../fhir/client.ts';
import { smartSettings } from '../settings.ts';
import { initStorage } from '../store/device.ts';
import { flushOutbox, sendWhenOnline } from './deliver.ts';
import { listItems } from './outbox.ts';
import { getSession } from '../auth/session.ts';

export async function sendOutbox(): Promise<void> {
  const session = getSession();
  if (!session) return;
  initStorage();
  if (!(await listItems(session.patientId)).some((i) => i.state !== 'sent')) return;
  configureFhir(smartSettings);
  sendWhenOnline();
  await flushOutbox();
}
