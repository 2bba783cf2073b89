/** `npm start`'s sandbox from environment variables: SANDBOX_DATA, ports, the secret, the state file. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { launchSandbox } from './launch.ts';

// Starting a sandbox loads the FHIR definitions and validates the seed: seconds on a busy 2-core machine.
test('SANDBOX_DATA names another folder: its patients are served instead, and problems are printed by file', { timeout: 30_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clara-sandbox-'));
  const lines: string[] = [];
  const sandbox = await launchSandbox(
    {
      SANDBOX_PORT: '0',
      PORT: '4999',
      SANDBOX_DATA: fileURLToPath(new URL('../tests/fixtures/other-patients/', import.meta.url)),
      SANDBOX_SECRET: 'abc',
      CLARA_SANDBOX_STATE: join(dir, 'state.json'),
    },
    (line) => lines.push(line),
  );
  try {
    expect(sandbox.patients.map((p) => p.name).sort()).toEqual(['Olga Fixture', 'Peter Fixture']);
    const output = lines.join('\n');
    expect(output).toContain('Olga Fixture');
    expect(output).not.toContain('Catalina');
    expect(output).toMatch(/! broken\.json: not valid JSON/);
    expect(output).toMatch(/! bad-entry\.json, entry 0 \(NotAResourceType\//);
    expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'))).toEqual({ origin: sandbox.origin, secret: 'abc' });
    const res = await fetch(`${sandbox.origin}/sandbox/messages?patient=Olga`, { headers: { 'X-Sandbox-Secret': 'abc' } });
    expect(res.status).toBe(200);
  } finally {
    await sandbox.close();
  }
});

test('it prints the profile in use and how to choose another; SANDBOX_PROFILE chooses; an unknown one is refused by name', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clara-sandbox-'));
  const env = {
    SANDBOX_PORT: '0',
    PORT: '4999',
    SANDBOX_DATA: fileURLToPath(new URL('../tests/fixtures/other-patients/', import.meta.url)),
    CLARA_SANDBOX_STATE: join(dir, 'state.json'),
  };
  for (const [profile, expected] of [[undefined, 'full'], ['strict-ehr', 'strict-ehr'], ['no-messages', 'no-messages']] as const) {
    const lines: string[] = [];
    const sandbox = await launchSandbox({ ...env, ...(profile ? { SANDBOX_PROFILE: profile } : {}) }, (line) => lines.push(line));
    try {
      expect(sandbox.profile.name).toBe(expected);
      const output = lines.join('\n');
      expect(output).toContain(`Profile "${expected}"`);
      expect(output).toMatch(/SANDBOX_PROFILE=/);
      const metadata = (await (await fetch(`${sandbox.fhirBaseUrl}/metadata`)).json()) as { rest: { resource: { type: string }[] }[] };
      expect(metadata.rest[0]?.resource.some((r) => r.type === 'Communication')).toBe(expected !== 'no-messages');
    } finally {
      await sandbox.close();
    }
  }
  await expect(launchSandbox({ ...env, SANDBOX_PROFILE: 'lenient' }, () => undefined)).rejects.toThrow(/full, strict-ehr, no-messages/);
});
