/**
 * Helpers for the sandbox's own tests over HTTP: start a sandbox on a free
 * port, sign in as a sample patient the way a person would (the authorize
 * form, PKCE S256, the token endpoint), and make FHIR requests.
 */
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startSandbox, type Sandbox, type SandboxOptions } from './server.ts';

export const PORTAL = 'http://localhost:4999';
export const CLIENT = 'clara-test';
export const REDIRECT = `${PORTAL}/en/sign-in/`;
export const SECRET = 'test-secret-123';
/** What Clara asks for (src/lib/auth/smart.ts). */
export const CLARA_SCOPES =
  'openid fhirUser launch/patient offline_access patient/Patient.rs patient/Observation.rs patient/DiagnosticReport.rs patient/Communication.crs patient/CareTeam.rs patient/RelatedPerson.rs';
export const SAMPLE_DATA = fileURLToPath(new URL('./data/', import.meta.url));
export const FIXTURE_DATA = fileURLToPath(new URL('../tests/fixtures/other-patients/', import.meta.url));

export function testSandbox(options: Partial<SandboxOptions> = {}): Promise<Sandbox> {
  return startSandbox({
    port: 0,
    portalOrigins: [PORTAL],
    clientId: CLIENT,
    clinicName: 'Test Clinic',
    secret: SECRET,
    accessSeconds: 600,
    dataDir: SAMPLE_DATA,
    keepCurrent: true,
    ...options,
  });
}

export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function patientId(sb: Sandbox, name: string): string {
  const patient = sb.patients.find((p) => p.name.includes(name));
  if (!patient) throw new Error(`no patient ${name}`);
  return patient.id;
}

/** Picks a patient on the authorize page and allows `grants` (default: every resource scope asked); returns the code. */
export async function authorizeCode(
  sb: Sandbox,
  name: string,
  options: { scope?: string; grants?: string[]; challenge: string },
): Promise<string> {
  const scope = options.scope ?? CLARA_SCOPES;
  const form = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT,
    redirect_uri: REDIRECT,
    scope,
    state: 'state-123',
    aud: sb.fhirBaseUrl,
    code_challenge: options.challenge,
    code_challenge_method: 'S256',
    patient: patientId(sb, name),
    action: 'allow',
  });
  // Allow what the authorize page offers (every box ticked), unless told which.
  let grants = options.grants;
  if (!grants) {
    const page = await fetch(
      `${sb.origin}/auth/authorize?${new URLSearchParams({ ...Object.fromEntries(form), action: '' })}`,
    );
    grants = [...(await page.text()).matchAll(/name="grant" value="([^"]*)"/g)].map((m) =>
      (m[1] ?? '')
        .replaceAll('&amp;', '&')
        .replaceAll('&quot;', '"')
        .replaceAll('&#39;', "'")
        .replaceAll('&lt;', '<')
        .replaceAll('&gt;', '>'),
    );
  }
  for (const g of grants) form.append('grant', g);
  const res = await fetch(`${sb.origin}/auth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  if (res.status !== 302) throw new Error(`authorize answered ${res.status}`);
  const back = new URL(res.headers.get('location') ?? '');
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`no code: ${back.href}`);
  return code;
}

export interface TokenReply {
  status: number;
  body: Record<string, unknown> & {
    access_token?: string;
    refresh_token?: string;
    scope?: string;
    patient?: string;
    error?: string;
  };
}

export async function tokenRequest(sb: Sandbox, body: Record<string, string>): Promise<TokenReply> {
  const res = await fetch(`${sb.origin}/auth/token`, {
    method: 'POST',
    body: new URLSearchParams({ client_id: CLIENT, ...body }),
  });
  return { status: res.status, body: (await res.json()) as TokenReply['body'] };
}

export async function redeem(sb: Sandbox, code: string, verifier: string): Promise<TokenReply> {
  return tokenRequest(sb, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier });
}

export function refresh(sb: Sandbox, refreshToken: string | undefined): Promise<TokenReply> {
  return tokenRequest(sb, { grant_type: 'refresh_token', refresh_token: refreshToken ?? '' });
}

/** Signs in as a sample patient; the token response's body. */
export async function signIn(
  sb: Sandbox,
  name: string,
  options: { scope?: string; grants?: string[] } = {},
): Promise<TokenReply['body'] & { access_token: string; patient: string }> {
  const { verifier, challenge } = pkce();
  const code = await authorizeCode(sb, name, { ...options, challenge });
  const reply = await redeem(sb, code, verifier);
  if (reply.status !== 200 || !reply.body.access_token || !reply.body.patient)
    throw new Error(`token: ${JSON.stringify(reply.body)}`);
  return reply.body as TokenReply['body'] & { access_token: string; patient: string };
}

/** A FHIR request relative to the base (`Observation?…`) or by absolute URL. */
export function fhir(
  sb: Sandbox,
  accessToken: string | undefined,
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  const url = /^https?:/.test(path) ? path : `${sb.fhirBaseUrl}/${path}`;
  return fetch(url, {
    ...init,
    headers: {
      ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}),
      'Content-Type': 'application/fhir+json',
      ...(init.headers as Record<string, string>),
    },
  });
}

export async function fhirJson<T = Record<string, unknown>>(
  sb: Sandbox,
  accessToken: string | undefined,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fhir(sb, accessToken, path, init);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}

export function post(
  sb: Sandbox,
  accessToken: string,
  type: string,
  resource: unknown,
  headers: Record<string, string> = {},
) {
  return fhirJson<unknown>(sb, accessToken, type, { method: 'POST', body: JSON.stringify(resource), headers });
}

/** Every message the clinic holds about a patient (the clinic side, by the sandbox secret). */
export async function clinicMessages(
  sb: Sandbox,
  patient: string,
): Promise<
  {
    id?: string;
    sender?: { reference?: string };
    recipient?: { reference?: string }[];
    subject?: { reference?: string };
    payload?: { contentString?: string }[];
  }[]
> {
  const res = await fetch(`${sb.origin}/sandbox/messages?patient=${encodeURIComponent(patient)}`, {
    headers: { 'X-Sandbox-Secret': SECRET },
  });
  return ((await res.json()) as { messages: [] }).messages;
}

/** The authorize form's fields for a request, with a caregiver or patient chosen (`patient` value). */
function authorizeForm(
  sb: Sandbox,
  challenge: string,
  fields: Record<string, string>,
  scope = CLARA_SCOPES,
): URLSearchParams {
  return new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT,
    redirect_uri: REDIRECT,
    scope,
    state: 'state-123',
    aud: sb.fhirBaseUrl,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...fields,
  });
}

/** Posts the authorize form as a caregiver (`caregiver` is the key: her first RelatedPerson's id), `helps` picked on the patient picker. */
export function postAuthorizeAsCaregiver(
  sb: Sandbox,
  challenge: string,
  caregiver: string,
  fields: Record<string, string> = {},
  grants: string[] = [],
): Promise<Response> {
  const form = authorizeForm(sb, challenge, { patient: `caregiver:${caregiver}`, action: 'allow', ...fields });
  for (const g of grants) form.append('grant', g);
  return fetch(`${sb.origin}/auth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
}

/** Signs in as a caregiver for the patient her RelatedPerson `helps` is about; the token response's body. */
export async function signInAsCaregiver(
  sb: Sandbox,
  caregiver: string,
  helps: string,
): Promise<TokenReply['body'] & { access_token: string; patient: string; id_token: string }> {
  const { verifier, challenge } = pkce();
  const page = await fetch(`${sb.origin}/auth/authorize?${authorizeForm(sb, challenge, {})}`);
  const grants = [...(await page.text()).matchAll(/name="grant" value="([^"]*)"/g)].map((m) =>
    (m[1] ?? '').replaceAll('&amp;', '&'),
  );
  const res = await postAuthorizeAsCaregiver(sb, challenge, caregiver, { helps }, grants);
  if (res.status !== 302) throw new Error(`authorize answered ${res.status}`);
  const code = new URL(res.headers.get('location') ?? '').searchParams.get('code');
  if (!code) throw new Error(`no code: ${res.headers.get('location')}`);
  const reply = await redeem(sb, code, verifier);
  if (reply.status !== 200 || !reply.body.access_token) throw new Error(`token: ${JSON.stringify(reply.body)}`);
  return reply.body as TokenReply['body'] & { access_token: string; patient: string; id_token: string };
}

/** The claims of an id_token (not verified: the tests read what the sandbox wrote). */
export function idTokenClaims(idToken: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}
