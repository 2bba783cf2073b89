/** The clinic settings the browser needs (only these: see src/build/integration.ts, virtual:clara/client). */
import client from 'virtual:clara/client';

/** What the FHIR client and sign-in need: the clinic's server and Clara's registration with it. */
export interface SmartSettings {
  issuer: string;
  clientId: string;
  fhirBaseUrl: string;
  offlineAccess: boolean;
  timeoutMs: number;
}

export interface ClientSettings extends SmartSettings {
  /** Days after the last sign-in that the copy kept on the patient's own device is erased. */
  keepDays: number;
  /** Minutes without use before Clara signs out, by device (clinic configuration `session.idleMinutes`). */
  idleMinutes: { own: number; shared: number };
}

export const smartSettings: SmartSettings = client;
export const clientSettings: ClientSettings = client;
