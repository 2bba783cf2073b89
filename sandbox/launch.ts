/**
 * Starts the sandbox from environment variables and prints what a person
 * needs: its URL, the sample patients, and how to post a clinician's reply.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/build/config-file.ts';
import { describeProblem } from './seed.ts';
import { PROFILE_NAMES, profileFromEnv } from './profiles.ts';
import { DEFAULT_DATA_DIR, startSandbox, type Sandbox } from './server.ts';

/** Where the running sandbox leaves its address and secret for `npm run sandbox:reply`. */
export function stateFile(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env['CLARA_SANDBOX_STATE'] ?? 'node_modules/.cache/clara/sandbox.json');
}

function age(birthDate: string | undefined): string {
  if (!birthDate) return '';
  const years = Math.floor((Date.now() - Date.parse(birthDate)) / (365.2425 * 86_400_000));
  return `${years}`;
}

export async function launchSandbox(
  env: NodeJS.ProcessEnv,
  log: (line: string) => void = console.log,
): Promise<Sandbox> {
  const config = loadConfig();
  const port = Number(env['SANDBOX_PORT'] ?? 4322);
  const portalPort = Number(env['PORT'] ?? 4321);
  const custom = env['SANDBOX_DATA'];
  const secret = env['SANDBOX_SECRET'] || randomBytes(18).toString('base64url');
  // Behind a proxy (the benchmark's slow link), browsers reach both at other origins.
  const publicOrigin = env['SANDBOX_PUBLIC_ORIGIN'];
  const portalPublicOrigin = env['PORTAL_PUBLIC_ORIGIN'];
  const profile = profileFromEnv(env['SANDBOX_PROFILE']);
  const sandbox = await startSandbox({
    port,
    dataDir: custom ? resolve(custom) : DEFAULT_DATA_DIR,
    keepCurrent: custom ? env['SANDBOX_KEEP_CURRENT'] === '1' : env['SANDBOX_KEEP_CURRENT'] !== '0',
    portalOrigins: [
      `http://localhost:${portalPort}`,
      `http://127.0.0.1:${portalPort}`,
      ...(portalPublicOrigin ? [portalPublicOrigin.replace(/\/$/, '')] : []),
    ],
    ...(publicOrigin ? { publicOrigin } : {}),
    clientId: config.smart.clientId,
    clinicName: config.clinic.name,
    secret,
    accessSeconds: Number(env['SANDBOX_TOKEN_SECONDS'] ?? 900),
    profile,
    defaultRecipients: config.messages.defaultRecipients.map((r) => r.reference),
  });
  const state = stateFile(env);
  mkdirSync(dirname(state), { recursive: true });
  writeFileSync(state, JSON.stringify({ origin: sandbox.origin, secret }), { mode: 0o600 });

  log(`Sandbox EHR (FHIR R4 + SMART) at ${sandbox.origin}/  — FHIR base ${sandbox.fhirBaseUrl}`);
  log(`  Profile "${profile.name}": ${profile.summary}.`);
  log(
    `  Choose another with SANDBOX_PROFILE=${PROFILE_NAMES.filter((n) => n !== profile.name).join(' or ')} (profiles: ${PROFILE_NAMES.join(', ')}; see README, "The sandbox EHR").`,
  );
  log(
    `  ${sandbox.loaded} resources from ${custom ? resolve(custom) : 'the sample set (sandbox/data)'}; ${sandbox.patients.length} patients:`,
  );
  for (const p of sandbox.patients) {
    const details = [age(p.birthDate) && `${age(p.birthDate)} y`, p.language, `${p.results} results`]
      .filter(Boolean)
      .join(', ');
    log(`    - ${p.name} (${details})`);
  }
  for (const problem of sandbox.problems) log(`  ! ${describeProblem(problem)}`);
  log(`  Post a clinician's reply: npm run sandbox:reply -- --patient "Portillo" --text "Hello"`);
  return sandbox;
}
