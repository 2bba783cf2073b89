/** The clinic settings the browser needs, from the validated configuration. */
import config from 'virtual:clara/config';
import type { SmartSettings } from './auth/smart.ts';

export const smartSettings: SmartSettings = {
  issuer: config.smart.issuer,
  clientId: config.smart.clientId,
  fhirBaseUrl: config.fhir.baseUrl,
  offlineAccess: config.smart.offlineAccess,
  timeoutMs: config.fhir.timeoutSeconds * 1000,
};
