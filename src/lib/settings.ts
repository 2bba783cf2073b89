/** The clinic settings the browser needs (only these: see src/build/integration.ts, virtual:clara/client). */
import client from 'virtual:clara/client';
import type { SmartSettings } from './auth/smart.ts';

export const smartSettings: SmartSettings = client;
