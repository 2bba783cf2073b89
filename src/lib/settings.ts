/** The clinic settings the browser needs (only these: see src/build/integration.ts, virtual:clara/client). */
import client from 'virtual:clara/client';
import type { SmartSettings } from './auth/smart.ts';

export interface ClientSettings extends SmartSettings {
  /** Days after the last sign-in that the copy kept on the patient's own device is erased. */
  keepDays: number;
  /** Minutes without use before Clara signs out, by device (clinic configuration `session.idleMinutes`). */
  idleMinutes: { own: number; shared: number };
}

export const smartSettings: SmartSettings = client;
export const clientSettings: ClientSettings = client;
