/**
 * Reads and validates the clinic configuration file for the build (and the
 * sandbox). A wrong or missing value stops with a message naming the field.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ClinicConfig } from '../lib/config/schema.ts';
import { formatConfigErrors, validateConfig } from '../lib/config/validate.ts';

export const DEFAULT_CONFIG_FILE = 'clinic.config.json';

/** `CLARA_CONFIG` names another file; relative paths are from the project root. */
export function configPath(root: string = process.cwd()): string {
  return resolve(root, process.env['CLARA_CONFIG'] || DEFAULT_CONFIG_FILE);
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Environment overrides, for running the same configuration against another
 * FHIR server (npm start and the tests point Clara at the sandbox this way):
 * CLARA_FHIR_BASE_URL → fhir.baseUrl, CLARA_SMART_ISSUER → smart.issuer,
 * CLARA_PORTAL_URL → portal.url (where this build is served, so the
 * invitation's address and QR code lead to it).
 */
export function applyEnvironment(raw: unknown, env: NodeJS.ProcessEnv = process.env): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const copy = structuredClone(raw) as Record<string, Record<string, unknown> | undefined>;
  const fhirBase = env['CLARA_FHIR_BASE_URL'];
  const issuer = env['CLARA_SMART_ISSUER'];
  const portal = env['CLARA_PORTAL_URL'];
  if (fhirBase) copy['fhir'] = { ...copy['fhir'], baseUrl: fhirBase };
  if (issuer) copy['smart'] = { ...copy['smart'], issuer };
  if (portal) copy['portal'] = { ...copy['portal'], url: portal };
  return copy;
}

export function loadConfig(file: string = configPath()): ClinicConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(
      `Clinic configuration ${file} could not be read. Create it (see README, "Configuration"), or set CLARA_CONFIG to its path.`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Clinic configuration ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const result = validateConfig(applyEnvironment(raw));
  if (!result.ok) throw new ConfigError(formatConfigErrors(file, result.errors));
  return result.config;
}
