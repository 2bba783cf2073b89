/**
 * The sandbox end to end over HTTP: SMART (PKCE S256, codes, tokens,
 * refresh), access control (compartment, scopes, staff-only threads),
 * FHIR behaviour (paging, _elements, If-None-Exist), staff replies, CORS,
 * and seeding from a folder of other patients' bundles.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Bundle, Communication, Observation, Patient } from '@medplum/fhirtypes';
import { startSandbox, type Sandbox } from './server.ts';
import {
  authorizeCode,
  CLARA_SCOPES,
  CLIENT,
  fhir,
  idTokenClaims,
  pkce,
  PORTAL,
  REDIRECT,
  SECRET,
  signIn as signInAs,
  tokenRequest as token,
} from './testing.ts';

// Every scope Clara asked for before the caregivers' (no RelatedPerson): what these tests were written against.
const ALL_SCOPES = CLARA_SCOPES.replace(' patient/RelatedPerson.rs', '');

let sandbox: Sandbox;
let fixtures: Sandbox;

beforeAll(async () => {
  const common = {
    port: 0,
    portalOrigins: [PORTAL],
    clientId: CLIENT,
    clinicName: 'Test Clinic',
    secret: SECRET,
    accessSeconds: 600,
  };
  sandbox = await startSandbox({
    ...common,
    dataDir: fileURLToPath(new URL('./data/', import.meta.url)),
    keepCurrent: true,
  });
  fixtures = await startSandbox({
    ...common,
    dataDir: fileURLToPath(new URL('../tests/fixtures/other-patients/', import.meta.url)),
    keepCurrent: false,
  });
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
  await fixtures?.close();
});

function authorizeUrl(
  sb: Sandbox,
  overrides: Record<string, string | undefined> = {},
  challenge = pkce().challenge,
): string {
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: CLIENT,
    redirect_uri: REDIRECT,
    scope: ALL_SCOPES,
    state: 'state-123',
    aud: sb.fhirBaseUrl,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  const url = new URL(`${sb.origin}/auth/authorize`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.href;
}

/** Signs in as a sample patient, ticking every resource scope asked (testing.ts's signIn ticks what the page offers). */
async function signIn(sb: Sandbox, patientName: string, options: { scope?: string; grants?: string[] } = {}) {
  const scope = options.scope ?? ALL_SCOPES;
  return signInAs(sb, patientName, {
    scope,
    grants: options.grants ?? scope.split(' ').filter((s) => s.startsWith('patient/')),
  });
}

describe('SMART discovery and authorize', () => {
  test('advertises S256 only, public clients and v2 patient scopes', async () => {
    const config = (await (await fetch(`${sandbox.fhirBaseUrl}/.well-known/smart-configuration`)).json()) as Record<
      string,
      string[]
    >;
    expect(config['code_challenge_methods_supported']).toEqual(['S256']);
    expect(config['token_endpoint_auth_methods_supported']).toEqual(['none']);
    expect(config['capabilities']).toEqual(
      expect.arrayContaining(['launch-standalone', 'client-public', 'permission-v2', 'context-standalone-patient']),
    );
    expect(config['revocation_endpoint']).toBe(`${sandbox.origin}/auth/revoke`);
  });

  test('the authorize page lists the sample patients, in Spanish when asked', async () => {
    const res = await fetch(authorizeUrl(sandbox, { ui_locales: 'es' }));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="es"');
    expect(html).toContain('Elija un paciente de ejemplo');
    expect(html).toContain('Catalina Cantú');
  });

  test.each([
    ['missing PKCE', { code_challenge: undefined, code_challenge_method: undefined }],
    ['plain PKCE', { code_challenge_method: 'plain' }],
  ])('%s → OAuth error redirect', async (_name, overrides) => {
    const res = await fetch(authorizeUrl(sandbox, overrides), { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('state-123');
  });

  test('wrong response_type → unsupported_response_type; wrong aud → invalid_request', async () => {
    let res = await fetch(authorizeUrl(sandbox, { response_type: 'token' }), { redirect: 'manual' });
    expect(new URL(res.headers.get('location') ?? '').searchParams.get('error')).toBe('unsupported_response_type');
    res = await fetch(authorizeUrl(sandbox, { aud: 'https://elsewhere.example/fhir' }), { redirect: 'manual' });
    expect(new URL(res.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
  });

  test('an unknown client or an unregistered redirect_uri is shown an error, never redirected', async () => {
    for (const overrides of [
      { client_id: 'someone-else' },
      { redirect_uri: 'https://evil.example/cb' },
      { redirect_uri: `${REDIRECT}extra` },
    ]) {
      const res = await fetch(authorizeUrl(sandbox, overrides), { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }
  });

  test('cancel → access_denied', async () => {
    const { challenge } = pkce();
    const form = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT,
      redirect_uri: REDIRECT,
      scope: ALL_SCOPES,
      state: 's',
      aud: sandbox.fhirBaseUrl,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      action: 'cancel',
    });
    const res = await fetch(`${sandbox.origin}/auth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
    expect(new URL(res.headers.get('location') ?? '').searchParams.get('error')).toBe('access_denied');
  });
});

describe('token endpoint', () => {
  test('a code gives tokens with patient, scope, expires_in, a refresh token and an id_token', async () => {
    const tokens = await signIn(sandbox, 'Portillo');
    expect(tokens['token_type']).toBe('Bearer');
    expect(tokens['patient']).toMatch(/^[\w-]+$/);
    expect(tokens['scope']).toContain('patient/Observation.rs');
    expect(Number(tokens['expires_in'])).toBe(600);
    expect(tokens['refresh_token']).toBeTruthy();
    const claims = idTokenClaims(String(tokens['id_token'] ?? ''));
    expect(claims['fhirUser']).toBe(`${sandbox.fhirBaseUrl}/Patient/${tokens['patient']}`);
  });

  test('a wrong verifier and a reused code get invalid_grant', async () => {
    const { verifier, challenge } = pkce();
    const code = await authorizeCode(sandbox, 'Portillo', { scope: ALL_SCOPES, challenge });
    const wrong = await token(sandbox, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: pkce().verifier,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body['error']).toBe('invalid_grant');
    // The failed attempt used the code up: a second try, even with the right verifier, is refused.
    const reused = await token(sandbox, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    expect(reused.body['error']).toBe('invalid_grant');
  });

  test('a code redeemed twice: the second gets invalid_grant and revokes the first tokens', async () => {
    const { verifier, challenge } = pkce();
    const code = await authorizeCode(sandbox, 'Cantú', { scope: ALL_SCOPES, challenge });
    const first = await token(sandbox, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    expect(first.status).toBe(200);
    const second = await token(sandbox, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    expect(second.body['error']).toBe('invalid_grant');
    expect((await fhir(sandbox, first.body['access_token'], `Patient/${first.body['patient']}`)).status).toBe(401);
  });

  test('the refresh grant rotates the refresh token', async () => {
    const tokens = await signIn(sandbox, 'Friesen');
    const refreshed = await token(sandbox, {
      grant_type: 'refresh_token',
      refresh_token: tokens['refresh_token'] ?? '',
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body['access_token']).not.toBe(tokens['access_token']);
    const again = await token(sandbox, { grant_type: 'refresh_token', refresh_token: tokens['refresh_token'] ?? '' });
    expect(again.body['error']).toBe('invalid_grant');
  });

  test('revocation (RFC 7009): 200 for any token; a revoked refresh token ends the sign-in; the clinic side lists it by hash', async () => {
    const tokens = await signIn(sandbox, 'Hyatt');
    const revoke = (body: Record<string, string>) =>
      fetch(`${sandbox.origin}/auth/revoke`, {
        method: 'POST',
        headers: { Origin: PORTAL },
        body: new URLSearchParams(body),
      });
    const unknown = await revoke({ client_id: CLIENT, token: 'nothing-like-a-token' });
    expect(unknown.status).toBe(200);
    expect(unknown.headers.get('access-control-allow-origin')).toBe(PORTAL);
    expect((await revoke({ client_id: 'stranger', token: tokens['refresh_token'] ?? '' })).status).toBe(401);
    expect((await revoke({ client_id: CLIENT })).status).toBe(400);
    expect(
      (await revoke({ client_id: CLIENT, token: tokens['refresh_token'] ?? '', token_type_hint: 'refresh_token' }))
        .status,
    ).toBe(200);
    expect((await fhir(sandbox, tokens['access_token'], `Patient/${tokens['patient']}`)).status).toBe(401);
    expect(
      (await token(sandbox, { grant_type: 'refresh_token', refresh_token: tokens['refresh_token'] ?? '' })).body[
        'error'
      ],
    ).toBe('invalid_grant');
    expect((await fetch(`${sandbox.origin}/sandbox/revocations`)).status).toBe(403);
    const listed = (await (
      await fetch(`${sandbox.origin}/sandbox/revocations?patient=${tokens['patient']}`, {
        headers: { 'X-Sandbox-Secret': SECRET },
      })
    ).json()) as {
      revocations: { kind: string; patient: string; at: string; tokenSha256: string }[];
    };
    const hash = createHash('sha256')
      .update(tokens['refresh_token'] ?? '')
      .digest('hex');
    expect(listed.revocations).toEqual([
      expect.objectContaining({ kind: 'refresh', patient: tokens['patient'], tokenSha256: hash }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(tokens['refresh_token']);
  });

  test('no refresh token without offline_access', async () => {
    const tokens = await signIn(sandbox, 'Friesen', { scope: 'openid fhirUser launch/patient patient/Patient.rs' });
    expect(tokens['refresh_token']).toBeUndefined();
  });
});

describe('access control', () => {
  test('no token or an expired one → 401 with an OperationOutcome', async () => {
    const res = await fhir(sandbox, undefined, 'Observation');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
  });

  test("only the patient's own record; another patient's id is refused", async () => {
    const tokens = await signIn(sandbox, 'Portillo');
    const me = tokens['patient'];
    const other = sandbox.patients.find((p) => p.name.includes('Cantú'))?.id;
    expect((await fhir(sandbox, tokens['access_token'], `Patient/${me}`)).status).toBe(200);
    const refused = await fhir(sandbox, tokens['access_token'], `Patient/${other}`);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    expect((await fhir(sandbox, tokens['access_token'], `Observation?subject=Patient/${other}`)).status).toBe(403);
    const mine = (await (
      await fhir(sandbox, tokens['access_token'], 'Observation?_count=500')
    ).json()) as Bundle<Observation>;
    expect(mine.entry?.length).toBeGreaterThan(0);
    expect(mine.entry?.every((e) => e.resource?.subject?.reference === `Patient/${me}`)).toBe(true);
  });

  test('a resource type that was not granted is refused', async () => {
    const tokens = await signIn(sandbox, 'Portillo', { grants: ['patient/Patient.rs', 'patient/Observation.rs'] });
    expect(tokens['scope']).not.toContain('DiagnosticReport');
    const res = await fhir(sandbox, tokens['access_token'], 'DiagnosticReport');
    expect(res.status).toBe(403);
    expect((await fhir(sandbox, tokens['access_token'], 'Observation?_count=1')).status).toBe(200);
  });

  test('the staff-only thread about the patient is never returned', async () => {
    const tokens = await signIn(sandbox, 'Portillo');
    const me = `Patient/${tokens['patient']}`;
    const clinicSide = (await (
      await fetch(`${sandbox.origin}/sandbox/messages?patient=${tokens['patient']}`, {
        headers: { 'X-Sandbox-Secret': SECRET },
      })
    ).json()) as { messages: Communication[] };
    const staffOnly = clinicSide.messages.filter(
      (c) => c.sender?.reference !== me && !(c.recipient ?? []).some((r) => r.reference === me),
    );
    expect(staffOnly.length).toBeGreaterThan(0);
    for (const search of [
      'Communication?_count=500',
      `Communication?subject=${me}&_count=500`,
      `Communication?recipient=${me}&_count=500`,
    ]) {
      const bundle = (await (await fhir(sandbox, tokens['access_token'], search)).json()) as Bundle<Communication>;
      const ids = new Set(bundle.entry?.map((e) => e.resource?.id));
      expect(staffOnly.some((c) => ids.has(c.id))).toBe(false);
      expect(bundle.entry?.length).toBeGreaterThan(0);
    }
    const read = await fhir(sandbox, tokens['access_token'], `Communication/${staffOnly[0]?.id}`);
    expect(read.status).toBe(403);
  });

  test('a patient cannot send a message as someone else', async () => {
    const tokens = await signIn(sandbox, 'Portillo');
    const forged: Communication = {
      resourceType: 'Communication',
      status: 'completed',
      subject: { reference: `Patient/${tokens['patient']}` },
      sender: { reference: 'Practitioner/x' },
      recipient: [{ reference: `Patient/${tokens['patient']}` }],
      payload: [{ contentString: 'hi' }],
    };
    const res = await fhir(sandbox, tokens['access_token'], 'Communication', {
      method: 'POST',
      body: JSON.stringify(forged),
    });
    expect(res.status).toBe(403);
  });

  test('the clinic side needs the sandbox secret; a patient token is not enough', async () => {
    const tokens = await signIn(sandbox, 'Portillo');
    const res = await fetch(`${sandbox.origin}/sandbox/staff-reply`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens['access_token']}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ patient: 'Portillo', text: 'x' }),
    });
    expect(res.status).toBe(403);
  });

  test('expiring tokens makes FHIR requests 401', async () => {
    const own = await startSandbox({
      port: 0,
      portalOrigins: [PORTAL],
      clientId: CLIENT,
      clinicName: 'T',
      secret: SECRET,
      accessSeconds: 600,
      dataDir: fileURLToPath(new URL('../tests/fixtures/other-patients/', import.meta.url)),
      keepCurrent: false,
    });
    try {
      const tokens = await signIn(own, 'Olga');
      expect((await fhir(own, tokens['access_token'], `Patient/${tokens['patient']}`)).status).toBe(200);
      await fetch(`${own.origin}/sandbox/expire-tokens`, {
        method: 'POST',
        headers: { 'X-Sandbox-Secret': SECRET },
        body: '{}',
      });
      const res = await fhir(own, tokens['access_token'], `Patient/${tokens['patient']}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('invalid_token');
    } finally {
      await own.close();
    }
  });
});

describe('FHIR behaviour', () => {
  // Ten years of labs in about ten pages (each page a few milliseconds since the sandbox remembers
  // filter results and sort keys: fhir/indexed-repository.ts).
  test('_count, _sort and paging through Bundle.link[next]', async () => {
    const tokens = await signIn(sandbox, 'Cantú');
    let url: string | undefined = `${sandbox.fhirBaseUrl}/Observation?category=laboratory&_sort=-date&_count=50`;
    const seen: string[] = [];
    let pages = 0;
    while (url) {
      const bundle = (await (
        await fetch(url, { headers: { Authorization: `Bearer ${tokens['access_token']}` } })
      ).json()) as Bundle<Observation>;
      pages++;
      for (const e of bundle.entry ?? []) seen.push(e.resource?.effectiveDateTime ?? '');
      url = bundle.link?.find((l) => l.relation === 'next')?.url;
    }
    expect(pages).toBeGreaterThan(5);
    expect(seen.length).toBeGreaterThanOrEqual(300);
    expect([...seen].sort().reverse()).toEqual(seen);
  });

  test('_elements returns only what was asked, marked SUBSETTED', async () => {
    const tokens = await signIn(sandbox, 'Cantú');
    const bundle = (await (
      await fhir(sandbox, tokens['access_token'], 'Observation?_count=3&_elements=code,effectiveDateTime')
    ).json()) as Bundle<Observation>;
    const first = bundle.entry?.[0]?.resource as unknown as Record<string, unknown>;
    expect(Object.keys(first).sort()).toEqual(['code', 'effectiveDateTime', 'id', 'meta', 'resourceType']);
    expect(JSON.stringify(first['meta'])).toContain('SUBSETTED');
  });

  test('If-None-Exist on the client identifier never makes a second copy', async () => {
    const tokens = await signIn(sandbox, 'Friesen');
    const me = `Patient/${tokens['patient']}`;
    const id = `urn:uuid:${crypto.randomUUID()}`;
    const message: Communication = {
      resourceType: 'Communication',
      status: 'completed',
      identifier: [{ system: 'urn:ietf:rfc:3986', value: id }],
      // The clinic's nurse, on Tommy Friesen's care team.
      subject: { reference: me },
      sender: { reference: me },
      recipient: [{ reference: 'Practitioner/d5b0de25-19b8-4ed4-a27e-cccc4c621c69' }],
      sent: new Date().toISOString(),
      payload: [{ contentString: 'Only once, please.' }],
    };
    const post = () =>
      fhir(sandbox, tokens['access_token'], 'Communication', {
        method: 'POST',
        body: JSON.stringify(message),
        headers: { 'If-None-Exist': `identifier=urn:ietf:rfc:3986|${id}` },
      });
    const first = await post();
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toContain('/Communication/');
    const second = await post();
    expect(second.status).toBe(200);
    const search = (await (
      await fhir(
        sandbox,
        tokens['access_token'],
        `Communication?identifier=${encodeURIComponent(`urn:ietf:rfc:3986|${id}`)}`,
      )
    ).json()) as Bundle;
    expect(search.entry?.length).toBe(1);
  });

  test('a staff reply posted through the clinic side reaches the patient', async () => {
    const res = await fetch(`${sandbox.origin}/sandbox/staff-reply`, {
      method: 'POST',
      headers: { 'X-Sandbox-Secret': SECRET, 'Content-Type': 'application/json' },
      body: JSON.stringify({ patient: 'Portillo', text: 'Don Adán, su presión se ve bien.' }),
    });
    expect(res.status).toBe(201);
    const reply = (await res.json()) as Communication;
    const tokens = await signIn(sandbox, 'Portillo');
    const read = (await (
      await fhir(sandbox, tokens['access_token'], `Communication/${reply.id}`)
    ).json()) as Communication;
    expect(read.payload?.[0]?.contentString).toBe('Don Adán, su presión se ve bien.');
    expect(read.partOf?.[0]?.reference).toMatch(/^Communication\//);
    expect(read.sender?.reference).toMatch(/^Practitioner\//);
  });

  test("CORS answers the portal's origin only", async () => {
    const ok = await fetch(`${sandbox.fhirBaseUrl}/Observation`, {
      method: 'OPTIONS',
      headers: { Origin: PORTAL, 'Access-Control-Request-Method': 'GET' },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(PORTAL);
    const other = await fetch(`${sandbox.fhirBaseUrl}/Observation`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('seed data', () => {
  test('the sample set: at least 6 patients, 3 aged 65+, 3 who prefer Spanish, one with nothing', async () => {
    const ages = sandbox.patients.map((p) =>
      p.birthDate ? (Date.now() - Date.parse(p.birthDate)) / (365.25 * 86_400_000) : 0,
    );
    expect(sandbox.patients.length).toBeGreaterThanOrEqual(6);
    expect(ages.filter((a) => a >= 65).length).toBeGreaterThanOrEqual(3);
    expect(sandbox.patients.filter((p) => p.language?.startsWith('es')).length).toBeGreaterThanOrEqual(3);
    expect(sandbox.patients.some((p) => p.results === 0)).toBe(true);
    expect(sandbox.problems).toEqual([]);
  });

  test("keeps the sample data current: each patient's newest result is recent", async () => {
    const tokens = await signIn(sandbox, 'Cantú');
    const bundle = (await (
      await fhir(sandbox, tokens['access_token'], 'Observation?_sort=-date&_count=1')
    ).json()) as Bundle<Observation>;
    const newest = Date.parse(bundle.entry?.[0]?.resource?.effectiveDateTime ?? '');
    expect(Date.now() - newest).toBeLessThan(10 * 86_400_000);
  });

  test('SANDBOX_DATA: another folder serves its patients; bad files and entries are named, the rest loads', async () => {
    expect(fixtures.patients.map((p) => p.name).sort()).toEqual(['Olga Fixture', 'Peter Fixture']);
    const problems = fixtures.problems.map((p) => `${p.file}${p.entry ? ` ${p.entry}` : ''}`);
    expect(problems).toEqual(
      expect.arrayContaining(['broken.json', expect.stringMatching(/^bad-entry\.json entry 0 \(NotAResourceType\//)]),
    );
    const olga = await signIn(fixtures, 'Olga');
    const obs = (await (await fhir(fixtures, olga['access_token'], 'Observation')).json()) as Bundle<Observation>;
    // The good entry of bad-entry.json loaded, with its urn:uuid reference resolved across files.
    expect(obs.entry?.map((e) => e.resource?.code?.text ?? e.resource?.code?.coding?.[0]?.code).sort()).toEqual([
      '4548-4',
      'Pulse',
    ]);
    const peter = await signIn(fixtures, 'Peter');
    const own = (await (await fhir(fixtures, peter['access_token'], `Patient/${peter['patient']}`)).json()) as Patient;
    expect(own.name?.[0]?.given?.[0]).toBe('Peter');
    const peterObs = (await (await fhir(fixtures, peter['access_token'], 'Observation')).json()) as Bundle<Observation>;
    expect(peterObs.entry?.length).toBe(1);
  });
});
