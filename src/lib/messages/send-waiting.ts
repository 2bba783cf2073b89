/** Sends the outbox now and whenever the connection returns (loaded by start.ts only when something waits). */
import { configureFhir } from '../fhir/client.ts';
import { smartSettings } from '../settings.ts';
import { flushOutbox, sendWhenOnline } from './deliver.ts';

export async function sendWaiting(): Promise<void> {
  configureFhir(smartSettings);
  sendWhenOnline();
  await flushOutbox();
}
