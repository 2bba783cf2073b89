/**
 * Caregivers over HTTP (issue 14): the sign-in page lists them apart from
 * patients, the patient picker offers only the people she may help, tokens
 * carry `fhirUser` = her RelatedPerson for the chosen patient, access stays
 * in that patient's compartment, the Communication rules hold for her, and a
 * caregiver whose access ended is refused.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Bundle, Communication, Observation, OperationOutcome, RelatedPerson } from '@medplum/fhirtypes';
import type { Sandbox } from './server.ts';
import {
  clinicMessages,
  fhirJson,
  idTokenClaims,
  patientId,
  pkce,
  post,
  postAuthorizeAsCaregiver,
  signIn,
  signInAsCaregiver,
  testSandbox,
} from './testing.ts';
import { postStaffReply } from './staff.ts';

const LUCIA = 'lucia-portillo-for-adan';
const LUCIA_FOR_CATALINA = 'lucia-portillo-for-catalina';
const DANIEL = 'daniel-olsen-for-margaret';
const LOPEZ = 'Practitioner/d5b0de25-19b8-4ed4-a27e-cccc4c621c69';

let sandbox: Sandbox;
let adan: string;
let catalina: string;

beforeAll(async () => {
  sandbox = await testSandbox();
  adan = patientId(sandbox, 'Portillo');
  catalina = patientId(sandbox, 'Cantú');
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
});

function authorizeUrl(lang: string): string {
  const { challenge } = pkce();
  return `${sandbox.origin}/auth/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: 'clara-test',
    redirect_uri: 'http://localhost:4999/en/sign-in/',
    scope: 'openid fhirUser launch/patient patient/Observation.rs',
    state: 's',
    aud: sandbox.fhirBaseUrl,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ui_locales: lang,
  })}`;
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the sign-in page and the patient picker', () => {
  test("caregivers are listed apart from patients, with whom they help, in the page's language", async () => {
    const en = await (await fetch(authorizeUrl('en'))).text();
    const [patients, caregivers] = en.split('Or choose someone who helps a patient');
    expect(caregivers).toBeDefined();
    expect(text(caregivers ?? '')).toContain(
      'Lucía Portillo Cantú Helps: Adán Portillo (father), Catalina Cantú (mother)',
    );
    expect(text(caregivers ?? '')).toContain(
      'Daniel Olsen Access to the information of Margaret Olsen ended on March 31, 2025',
    );
    expect(patients).not.toContain('Lucía');
    const es = text(await (await fetch(authorizeUrl('es'))).text());
    expect(es).toContain('Lucía Portillo Cantú Ayuda a: Adán Portillo (padre), Catalina Cantú (madre)');
    expect(es).toContain('terminó el 31 de marzo de 2025');
  });

  test('after a caregiver is chosen, the picker offers only the people she may help now', async () => {
    const res = await postAuthorizeAsCaregiver(sandbox, pkce().challenge, LUCIA, { ui_locales: 'es' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(text(html)).toContain('¿De quién quiere ver la información?');
    const offered = [...html.matchAll(/name="helps" value="([^"]+)"/g)].map((m) => m[1]);
    expect(offered.sort()).toEqual([LUCIA, LUCIA_FOR_CATALINA]);
  });

  test('a RelatedPerson that is not hers cannot be picked', async () => {
    const res = await postAuthorizeAsCaregiver(sandbox, pkce().challenge, LUCIA, { helps: DANIEL });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Choose one of the people you help.');
  });

  test('a caregiver whose access ended is refused with a clear message, and the app gets access_denied', async () => {
    const res = await postAuthorizeAsCaregiver(sandbox, pkce().challenge, DANIEL, { helps: DANIEL });
    expect(res.status).toBe(403);
    const page = text(await res.text());
    expect(page).toContain('You cannot open this information now');
    expect(page).toContain('ended on March 31, 2025');
    const back = await postAuthorizeAsCaregiver(sandbox, pkce().challenge, DANIEL, { action: 'refused' });
    expect(back.status).toBe(302);
    const url = new URL(back.headers.get('location') ?? '');
    expect(url.searchParams.get('error')).toBe('access_denied');
    expect(url.searchParams.get('code')).toBeNull();
  });
});

describe("the caregiver's token", () => {
  test('fhirUser is her RelatedPerson for the chosen patient; patient is that patient; one sub for both parents', async () => {
    const forAdan = await signInAsCaregiver(sandbox, LUCIA, LUCIA);
    expect(forAdan.patient).toBe(adan);
    const claims = idTokenClaims(forAdan.id_token);
    expect(claims['fhirUser']).toBe(`${sandbox.fhirBaseUrl}/RelatedPerson/${LUCIA}`);
    const forCatalina = await signInAsCaregiver(sandbox, LUCIA, LUCIA_FOR_CATALINA);
    expect(forCatalina.patient).toBe(catalina);
    const other = idTokenClaims(forCatalina.id_token);
    expect(other['fhirUser']).toBe(`${sandbox.fhirBaseUrl}/RelatedPerson/${LUCIA_FOR_CATALINA}`);
    expect(other['sub']).toBe(claims['sub']);
    expect(claims['sub']).not.toBe(adan);
  });

  test("access stays inside the chosen patient's compartment; she reads her own RelatedPerson", async () => {
    const { access_token: token } = await signInAsCaregiver(sandbox, LUCIA, LUCIA);
    const results = await fhirJson<Bundle<Observation>>(sandbox, token, 'Observation?_count=1000');
    expect(results.status).toBe(200);
    expect(results.body.entry?.length).toBeGreaterThan(0);
    expect(results.body.entry?.every((e) => e.resource?.subject?.reference === `Patient/${adan}`)).toBe(true);
    expect((await fhirJson(sandbox, token, `Observation?patient=Patient/${catalina}`)).status).toBe(403);
    expect((await fhirJson(sandbox, token, `Patient/${adan}`)).status).toBe(200);
    expect((await fhirJson(sandbox, token, `Patient/${catalina}`)).status).toBe(403);
    const self = await fhirJson<RelatedPerson>(sandbox, token, `RelatedPerson/${LUCIA}`);
    expect(self.status).toBe(200);
    expect(self.body.relationship?.[0]?.coding?.[0]?.code).toBe('DAU');
    expect((await fhirJson(sandbox, token, `RelatedPerson/${LUCIA_FOR_CATALINA}`)).status).toBe(403);
    expect((await fhirJson(sandbox, token, `RelatedPerson/${DANIEL}`)).status).toBe(403);
  });

  test('Communication rules hold for a caregiver: sender her RelatedPerson, subject the patient; the clinic holds it once', async () => {
    const { access_token: token } = await signInAsCaregiver(sandbox, LUCIA, LUCIA);
    const me = { reference: `RelatedPerson/${LUCIA}` };
    const body = `From Lucía ${randomUUID()}`;
    const message = (overrides: Partial<Communication> = {}): Communication => ({
      resourceType: 'Communication',
      status: 'completed',
      identifier: [{ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${randomUUID()}` }],
      subject: { reference: `Patient/${adan}` },
      sender: me,
      recipient: [{ reference: LOPEZ }],
      sent: new Date().toISOString(),
      payload: [{ contentString: body }],
      ...overrides,
    });
    const asPatient = await post(
      sandbox,
      token,
      'Communication',
      message({ sender: { reference: `Patient/${adan}` } }),
    );
    expect(asPatient.status).toBe(403);
    expect(JSON.stringify((asPatient.body as OperationOutcome).issue)).toContain('Communication.sender');
    expect(
      (
        await post(
          sandbox,
          token,
          'Communication',
          message({ sender: { reference: `RelatedPerson/${LUCIA_FOR_CATALINA}` } }),
        )
      ).status,
    ).toBe(403);
    expect(
      (await post(sandbox, token, 'Communication', message({ subject: { reference: `Patient/${catalina}` } }))).status,
    ).toBe(403);
    expect(
      (await post(sandbox, token, 'Communication', message({ recipient: [{ reference: `Patient/${catalina}` }] })))
        .status,
    ).toBe(422);
    const made = await post(sandbox, token, 'Communication', message());
    expect(made.status).toBe(201);
    const held = (await clinicMessages(sandbox, adan)).filter((m) => m.payload?.[0]?.contentString === body);
    expect(held).toHaveLength(1);
    expect(held[0]?.sender?.reference).toBe(`RelatedPerson/${LUCIA}`);
    expect(held[0]?.subject?.reference).toBe(`Patient/${adan}`);
    // A reply in her own conversation is inside the compartment.
    const id = (made.body as Communication).id;
    expect(
      (
        await post(
          sandbox,
          token,
          'Communication',
          message({
            partOf: [{ reference: `Communication/${id}` }],
            inResponseTo: [{ reference: `Communication/${id}` }],
          }),
        )
      ).status,
    ).toBe(201);
  });

  test("the compartment: her messages and the care team's replies are seen by her and by the patient; never staff-only ones or by another patient", async () => {
    const lucia = await signInAsCaregiver(sandbox, LUCIA, LUCIA);
    const body = `Question from Lucía ${randomUUID()}`;
    const made = await post(sandbox, lucia.access_token, 'Communication', {
      resourceType: 'Communication',
      status: 'completed',
      subject: { reference: `Patient/${adan}` },
      sender: { reference: `RelatedPerson/${LUCIA}` },
      recipient: [{ reference: LOPEZ }],
      sent: new Date().toISOString(),
      payload: [{ contentString: body }],
      topic: { text: 'Caregiver test' },
    });
    expect(made.status).toBe(201);
    const header = (made.body as Communication).id as string;
    const reply = await postStaffReply(sandbox.engine, {
      patient: adan,
      text: `Reply ${randomUUID()}`,
      thread: header,
    });
    expect(reply.recipient?.map((r) => r.reference)).toEqual([`Patient/${adan}`, `RelatedPerson/${LUCIA}`]);

    const ids = async (token: string, query: string) =>
      (
        (await fhirJson<Bundle<Communication>>(sandbox, token, `Communication?${query}&_count=1000`)).body.entry ?? []
      ).map((e) => e.resource?.id);
    const seenByLucia = await ids(lucia.access_token, `subject=Patient/${adan}`);
    expect(seenByLucia).toEqual(expect.arrayContaining([header, reply.id]));
    const pedro = await signIn(sandbox, 'Portillo');
    const seenByAdan = await ids(pedro.access_token, `subject=Patient/${adan}`);
    expect(seenByAdan).toEqual(expect.arrayContaining([header, reply.id]));
    // The staff-only thread about Adán (subject only) stays hidden from both.
    const all = (await clinicMessages(sandbox, adan)).filter(
      (m) =>
        ![m.sender, ...(m.recipient ?? [])].some(
          (r) => r?.reference === `Patient/${adan}` || r?.reference?.startsWith('RelatedPerson/'),
        ),
    );
    expect(all.length).toBeGreaterThan(0);
    for (const staffOnly of all) {
      expect(seenByLucia).not.toContain(staffOnly.id);
      expect(seenByAdan).not.toContain(staffOnly.id);
    }
    // Catalina's sign-in (even Lucía's own for Catalina) does not see the message about Adán.
    const forCatalina = await signInAsCaregiver(sandbox, LUCIA, LUCIA_FOR_CATALINA);
    expect(await ids(forCatalina.access_token, 'status=completed')).not.toContain(header);
    expect((await fhirJson(sandbox, forCatalina.access_token, `Communication/${header}`)).status).toBe(403);
  });

  test('when her access is turned off, her token stops working at once', async () => {
    const { access_token: token } = await signInAsCaregiver(sandbox, LUCIA, LUCIA_FOR_CATALINA);
    expect((await fhirJson(sandbox, token, 'Observation?_count=1')).status).toBe(200);
    const rp = await sandbox.engine.repo.readResource<RelatedPerson>('RelatedPerson', LUCIA_FOR_CATALINA);
    await sandbox.engine.repo.updateResource<RelatedPerson>({ ...rp, active: false });
    try {
      const refused = await fhirJson<OperationOutcome>(sandbox, token, 'Observation?_count=1');
      expect(refused.status).toBe(403);
      expect(JSON.stringify(refused.body.issue)).toContain('has ended');
    } finally {
      await sandbox.engine.repo.updateResource<RelatedPerson>({ ...rp, active: true });
    }
  });
});
