/** `npm start`'s sandbox from environment variables: SANDBOX_DATA, ports, public origins, the secret, the state file. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { loadConfig } from '../src/build/config-file.ts';
import { launchSandbox } from './launch.ts';

// Starting a sandbox loads the FHIR definitions and validates the seed: seconds on a busy 2-core machine.
test(
  'SANDBOX_DATA names another folder: its patients are served instead, and problems are printed by file',
  { timeout: 30_000 },
  async () => {
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
      expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'))).toEqual({
        origin: sandbox.origin,
        secret: 'abc',
      });
      const res = await fetch(`${sandbox.origin}/sandbox/messages?patient=Olga`, {
        headers: { 'X-Sandbox-Secret': 'abc' },
      });
      expect(res.status).toBe(200);
    } finally {
      await sandbox.close();
    }
  },
);

test("SANDBOX_PUBLIC_ORIGIN and PORTAL_PUBLIC_ORIGIN (behind the bench's link): every address it writes uses its public origin, and the portal's public origin may sign in", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clara-sandbox-'));
  const sandbox = await launchSandbox(
    {
      SANDBOX_PORT: '0',
      PORT: '4999',
      SANDBOX_PUBLIC_ORIGIN: 'http://localhost:4442',
      PORTAL_PUBLIC_ORIGIN: 'http://localhost:4440',
      SANDBOX_DATA: fileURLToPath(new URL('../tests/fixtures/other-patients/', import.meta.url)),
      CLARA_SANDBOX_STATE: join(dir, 'state.json'),
    },
    () => undefined,
  );
  // Nothing listens on the public origin here: requests go to the sandbox's own port, as the link forwards them.
  const direct = `http://127.0.0.1:${(sandbox.server.address() as AddressInfo).port}`;
  const base = 'http://localhost:4442/fhir/R4';
  const portal = 'http://localhost:4440';
  try {
    expect(sandbox.fhirBaseUrl).toBe(base);
    const config = (await (await fetch(`${direct}/fhir/R4/.well-known/smart-configuration`)).json()) as Record<
      string,
      string
    >;
    expect([config['authorization_endpoint'], config['token_endpoint']]).toEqual([
      'http://localhost:4442/auth/authorize',
      'http://localhost:4442/auth/token',
    ]);

    const preflight = await fetch(`${direct}/fhir/R4/Observation`, {
      method: 'OPTIONS',
      headers: {
        Origin: portal,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(portal);

    // Sign in with the redirect URI on the portal's public origin and the public FHIR base as audience.
    const verifier = randomBytes(32).toString('base64url');
    const patient = sandbox.patients.find((p) => p.name === 'Olga Fixture');
    const form = new URLSearchParams({
      response_type: 'code',
      client_id: loadConfig().smart.clientId,
      redirect_uri: `${portal}/en/sign-in/`,
      scope: 'openid launch/patient patient/Observation.rs',
      state: 's',
      aud: base,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      patient: patient?.id ?? '',
      action: 'allow',
      grant: 'patient/Observation.rs',
    });
    const authorized = await fetch(`${direct}/auth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
    const back = new URL(authorized.headers.get('location') ?? '');
    expect(back.origin).toBe(portal);
    const tokens = (await (
      await fetch(`${direct}/auth/token`, {
        method: 'POST',
        body: new URLSearchParams({
          client_id: loadConfig().smart.clientId,
          grant_type: 'authorization_code',
          code: back.searchParams.get('code') ?? '',
          redirect_uri: `${portal}/en/sign-in/`,
          code_verifier: verifier,
        }),
      })
    ).json()) as Record<string, string>;
    const page = (await (
      await fetch(`${direct}/fhir/R4/Observation?_count=1`, {
        headers: { Authorization: `Bearer ${tokens['access_token']}` },
      })
    ).json()) as { link?: { relation: string; url: string }[] };
    expect(page.link?.find((l) => l.relation === 'next')?.url.startsWith(`${base}/Observation?`)).toBe(true);
  } finally {
    await sandbox.close();
  }
}, 30_000);

test(
  'it prints the profile in use and how to choose another; SANDBOX_PROFILE chooses; an unknown one is refused by name',
  { timeout: 60_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clara-sandbox-'));
    const env = {
      SANDBOX_PORT: '0',
      PORT: '4999',
      SANDBOX_DATA: fileURLToPath(new URL('../tests/fixtures/other-patients/', import.meta.url)),
      CLARA_SANDBOX_STATE: join(dir, 'state.json'),
    };
    for (const [profile, expected] of [
      [undefined, 'full'],
      ['strict-ehr', 'strict-ehr'],
      ['no-messages', 'no-messages'],
    ] as const) {
      const lines: string[] = [];
      const sandbox = await launchSandbox({ ...env, ...(profile ? { SANDBOX_PROFILE: profile } : {}) }, (line) =>
        lines.push(line),
      );
      try {
        expect(sandbox.profile.name).toBe(expected);
        const output = lines.join('\n');
        expect(output).toContain(`Profile "${expected}"`);
        expect(output).toMatch(/SANDBOX_PROFILE=/);
        const metadata = (await (await fetch(`${sandbox.fhirBaseUrl}/metadata`)).json()) as {
          rest: { resource: { type: string }[] }[];
        };
        expect(metadata.rest[0]?.resource.some((r) => r.type === 'Communication')).toBe(expected !== 'no-messages');
      } finally {
        await sandbox.close();
      }
    }
    await expect(launchSandbox({ ...env, SANDBOX_PROFILE: 'lenient' }, () => undefined)).rejects.toThrow(
      /full, strict-ehr, no-messages/,
    );
  },
);
