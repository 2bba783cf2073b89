/**
 * The strict sandbox (issue 15, item 1), over HTTP, as an attacker holding
 * one patient's token would try it: scopes granted only as far as the server
 * and a patient may go, no PUT/PATCH/DELETE, messages only from the patient
 * to their own care team, totals that count only what the token may see,
 * conditional creates that stay inside the compartment, token families that
 * die together when a refresh token or code is replayed, and the other doors
 * (_include, _history, chains, _has, Binary, batches, $everything).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Operator } from '@medplum/core';
import type {
  Binary,
  Bundle,
  Communication,
  DocumentReference,
  Observation,
  OperationOutcome,
} from '@medplum/fhirtypes';
import type { Sandbox } from './server.ts';
import {
  authorizeCode,
  CLIENT,
  clinicMessages,
  fhir,
  fhirJson,
  patientId,
  pkce,
  post,
  redeem,
  REDIRECT,
  refresh,
  signIn,
  testSandbox,
} from './testing.ts';

/** Tommy Friesen's care team: his doctor (Maggio) and the clinic's nurse (López). */
const MAGGIO = 'Practitioner/dad277d0-71c6-467a-be3c-e49d5e10f41a';
const LOPEZ = 'Practitioner/d5b0de25-19b8-4ed4-a27e-cccc4c621c69';
/** Not on Tommy's care team; the clinic's configured default recipient here. */
const RUIZ = 'Practitioner/4497ef5f-2f43-44a1-980a-b826edd58f8a';
/** Adán Portillo's doctor: on no other patient's care team, and not a default. */
const KASSULKE = 'Practitioner/0e99785d-8f2a-45c7-848c-d6b31d1aa50e';
const LAB = 'http://terminology.hl7.org/CodeSystem/observation-category|laboratory';

let sandbox: Sandbox;
let tommy: string;
let adan: string;

beforeAll(async () => {
  sandbox = await testSandbox({ defaultRecipients: [RUIZ] });
  tommy = patientId(sandbox, 'Friesen');
  adan = patientId(sandbox, 'Portillo');
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
});

const scopesOf = (scope: unknown) =>
  String(scope ?? '')
    .split(' ')
    .filter(Boolean)
    .sort();

function message(patient: string, overrides: Partial<Communication> = {}): Communication {
  const me = { reference: `Patient/${patient}` };
  return {
    resourceType: 'Communication',
    status: 'completed',
    identifier: [{ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${randomUUID()}` }],
    subject: me,
    sender: me,
    recipient: [{ reference: LOPEZ }],
    sent: new Date().toISOString(),
    payload: [{ contentString: `A test message ${randomUUID()}` }],
    ...overrides,
  };
}

function outcomeText(body: unknown): string {
  const outcome = body as OperationOutcome;
  expect(outcome.resourceType).toBe('OperationOutcome');
  return JSON.stringify(outcome.issue);
}

async function anyObservationOf(patient: string): Promise<Observation> {
  const bundle = await sandbox.engine.repo.search<Observation>({
    resourceType: 'Observation',
    filters: [{ code: 'subject', operator: Operator.EQUALS, value: `Patient/${patient}` }],
    count: 1,
  });
  const obs = bundle.entry?.[0]?.resource;
  if (!obs) throw new Error('no observation');
  return obs;
}

describe('scopes: what was asked ∩ scopes_supported ∩ what a patient may do', () => {
  test('v2 scopes: write letters, unsupported types, user/ and system/ scopes are not granted; the response says what was', async () => {
    const tokens = await signIn(sandbox, 'Friesen', {
      scope:
        'openid fhirUser launch/patient offline_access profile patient/Observation.cruds patient/Communication.cruds patient/Patient.rs patient/CareTeam.r patient/Condition.rs user/Observation.rs system/Patient.rs',
    });
    expect(scopesOf(tokens.scope)).toEqual(
      [
        'openid',
        'fhirUser',
        'launch/patient',
        'offline_access',
        'patient/Observation.rs',
        'patient/Communication.crs',
        'patient/Patient.rs',
        'patient/CareTeam.r',
      ].sort(),
    );
  });

  test('wildcards become the types the server has, each with what a patient may do', async () => {
    const tokens = await signIn(sandbox, 'Friesen', { scope: 'openid launch/patient patient/*.cruds' });
    expect(scopesOf(tokens.scope)).toEqual(
      [
        'openid',
        'launch/patient',
        'patient/Patient.rs',
        'patient/Observation.rs',
        'patient/DiagnosticReport.rs',
        'patient/Communication.crs',
        'patient/CareTeam.rs',
        'patient/RelatedPerson.rs',
      ].sort(),
    );
  });

  test('v1 scopes: read is granted as read, write only as far as creating a message', async () => {
    const tokens = await signIn(sandbox, 'Friesen', {
      scope:
        'launch/patient patient/Observation.read patient/Observation.write patient/Communication.write patient/CareTeam.*',
    });
    expect(scopesOf(tokens.scope)).toEqual(
      ['launch/patient', 'patient/Observation.read', 'patient/Communication.c', 'patient/CareTeam.read'].sort(),
    );
    const tokens2 = await signIn(sandbox, 'Friesen', { scope: 'launch/patient patient/*.read' });
    expect(scopesOf(tokens2.scope)).toEqual(
      [
        'launch/patient',
        'patient/Patient.read',
        'patient/Observation.read',
        'patient/DiagnosticReport.read',
        'patient/Communication.read',
        'patient/CareTeam.read',
        'patient/RelatedPerson.read',
      ].sort(),
    );
  });

  test('a granular scope (v2 ?category=) is granted as asked and limits what is seen, read and counted', async () => {
    const scope = `launch/patient patient/Observation.rs?category=${LAB}`;
    const page = await fetch(
      `${sandbox.origin}/auth/authorize?${new URLSearchParams({ response_type: 'code', client_id: CLIENT, redirect_uri: REDIRECT, scope, state: 's', aud: sandbox.fhirBaseUrl, code_challenge: pkce().challenge, code_challenge_method: 'S256' })}`,
    );
    expect(await page.text()).toContain(`only those where category=${LAB}`);
    const tokens = await signIn(sandbox, 'Friesen', { scope });
    expect(scopesOf(tokens.scope)).toEqual(['launch/patient', `patient/Observation.rs?category=${LAB}`].sort());
    const all = await sandbox.engine.repo.search<Observation>({
      resourceType: 'Observation',
      filters: [{ code: 'subject', operator: Operator.EQUALS, value: `Patient/${tommy}` }],
    });
    const isLab = (o: Observation | undefined) =>
      !!o?.category?.some((c) => c.coding?.some((x) => x.code === 'laboratory'));
    const labs = (all.entry ?? []).filter((e) => isLab(e.resource));
    const other = (all.entry ?? []).find((e) => !isLab(e.resource))?.resource;
    expect(labs.length).toBeGreaterThan(0);
    expect(other).toBeDefined();
    const bundle = await fhirJson<Bundle<Observation>>(sandbox, tokens.access_token, 'Observation?_count=1000');
    expect(bundle.status).toBe(200);
    expect(bundle.body.total).toBe(labs.length);
    expect(bundle.body.entry?.every((e) => isLab(e.resource))).toBe(true);
    expect((await fhir(sandbox, tokens.access_token, `Observation/${other?.id}`)).status).toBe(403);
  });

  test("a token that asked for patient/Observation.cruds cannot delete or overwrite anyone's Observations", async () => {
    const tokens = await signIn(sandbox, 'Friesen', { scope: 'launch/patient patient/Observation.cruds' });
    const theirs = await anyObservationOf(adan);
    const mine = await anyObservationOf(tommy);
    for (const target of [theirs, mine]) {
      const overwrite = { ...target, subject: { reference: `Patient/${tommy}` }, status: 'entered-in-error' };
      const put = await fhir(sandbox, tokens.access_token, `Observation/${target.id}`, {
        method: 'PUT',
        body: JSON.stringify(overwrite),
      });
      expect(put.status).toBe(405);
      const del = await fhir(sandbox, tokens.access_token, `Observation/${target.id}`, { method: 'DELETE' });
      expect(del.status).toBe(405);
      const still = await sandbox.engine.repo.readResource<Observation>('Observation', target.id as string);
      expect(still.status).toBe(target.status);
      expect(still.subject).toEqual(target.subject);
    }
    const conditional = await fhir(sandbox, tokens.access_token, `Observation?subject=Patient/${adan}`, {
      method: 'DELETE',
    });
    expect(conditional.status).toBe(405);
    await sandbox.engine.repo.readResource('Observation', theirs.id as string);
    expect(scopesOf(tokens.scope)).toEqual(['launch/patient', 'patient/Observation.rs']);
  });
});

describe('PUT, PATCH and DELETE answer 405 with an OperationOutcome and Allow', () => {
  test.each(['PUT', 'PATCH', 'DELETE'])('%s', async (method) => {
    const tokens = await signIn(sandbox, 'Friesen');
    const mine = await anyObservationOf(tommy);
    const messages = await clinicMessages(sandbox, tommy);
    const ownMessage = messages.find((m) => m.sender?.reference === `Patient/${tommy}`);
    const body =
      method === 'PATCH'
        ? JSON.stringify([{ op: 'replace', path: '/status', value: 'cancelled' }])
        : JSON.stringify(mine);
    for (const path of [
      `Observation/${mine.id}`,
      'Observation?code=x',
      `Communication/${ownMessage?.id}`,
      'Communication',
    ]) {
      const res = await fhirJson(sandbox, tokens.access_token, path, {
        method,
        body,
        headers: method === 'PATCH' ? { 'Content-Type': 'application/json-patch+json' } : {},
      });
      expect(res.status, `${method} ${path}`).toBe(405);
      outcomeText(res.body);
      const allow = res.headers.get('allow') ?? '';
      expect(allow).toMatch(/GET/);
      expect(allow).not.toMatch(method);
    }
    const still = await sandbox.engine.repo.readResource<Observation>('Observation', mine.id as string);
    expect(still.meta?.versionId).toBe(mine.meta?.versionId);
  });
});

describe('a new Communication: subject, sender, recipients and partOf', () => {
  test('a message to another patient is refused (403/422 naming the rule), and that patient never gets it', async () => {
    const tokens = await signIn(sandbox, 'Friesen');
    const text = `Hello neighbour ${randomUUID()}`;
    const res = await post(
      sandbox,
      tokens.access_token,
      'Communication',
      message(tommy, { recipient: [{ reference: `Patient/${adan}` }], payload: [{ contentString: text }] }),
    );
    expect([403, 422]).toContain(res.status);
    expect(outcomeText(res.body)).toMatch(/Communication\.recipient/);
    expect((await clinicMessages(sandbox, adan)).some((m) => m.payload?.[0]?.contentString === text)).toBe(false);
    const his = await signIn(sandbox, 'Portillo');
    const inbox = await fhirJson<Bundle<Communication>>(
      sandbox,
      his.access_token,
      `Communication?recipient=Patient/${adan}&_count=1000`,
    );
    expect(inbox.body.entry?.some((e) => e.resource?.payload?.[0]?.contentString === text)).toBe(false);
  });

  test('the subject must be the signed-in patient', async () => {
    const tokens = await signIn(sandbox, 'Friesen');
    const wrong = await post(
      sandbox,
      tokens.access_token,
      'Communication',
      message(tommy, { subject: { reference: `Patient/${adan}` } }),
    );
    expect(wrong.status).toBe(403);
    expect(outcomeText(wrong.body)).toMatch(/Communication\.subject/);
    const { subject: _, ...missing } = message(tommy);
    const none = await post(sandbox, tokens.access_token, 'Communication', missing);
    expect(none.status).toBe(422);
    expect(outcomeText(none.body)).toMatch(/Communication\.subject/);
  });

  test("the sender must be the token's fhirUser", async () => {
    const tokens = await signIn(sandbox, 'Friesen');
    for (const sender of [{ reference: LOPEZ }, { reference: `Patient/${adan}` }]) {
      const res = await post(
        sandbox,
        tokens.access_token,
        'Communication',
        message(tommy, { sender, recipient: [{ reference: MAGGIO }] }),
      );
      expect(res.status).toBe(403);
      expect(outcomeText(res.body)).toMatch(/Communication\.sender/);
    }
    const { sender: _, ...missing } = message(tommy);
    const none = await post(sandbox, tokens.access_token, 'Communication', missing);
    expect(none.status).toBe(422);
    expect(outcomeText(none.body)).toMatch(/Communication\.sender/);
  });

  test("recipients come from the patient's care team or the clinic's default recipients", async () => {
    const tokens = await signIn(sandbox, 'Friesen');
    for (const ok of [[MAGGIO], [LOPEZ], [RUIZ], [MAGGIO, RUIZ]]) {
      const res = await post(
        sandbox,
        tokens.access_token,
        'Communication',
        message(tommy, { recipient: ok.map((reference) => ({ reference })) }),
      );
      expect(res.status, ok.join()).toBe(201);
    }
    for (const bad of [[KASSULKE], [MAGGIO, KASSULKE], [], [`Patient/${tommy}`]]) {
      const res = await post(
        sandbox,
        tokens.access_token,
        'Communication',
        message(tommy, { recipient: bad.map((reference) => ({ reference })) }),
      );
      expect(res.status, bad.join()).toBe(422);
      expect(outcomeText(res.body)).toMatch(/Communication\.recipient/);
    }
    const byIdentifier = await post(
      sandbox,
      tokens.access_token,
      'Communication',
      message(tommy, { recipient: [{ identifier: { value: 'someone' } }] }),
    );
    expect(byIdentifier.status).toBe(422);
  });

  test("partOf must be a conversation inside the patient's compartment", async () => {
    const tommyTokens = await signIn(sandbox, 'Friesen');
    const adanTokens = await signIn(sandbox, 'Portillo');
    const tommyHeader = (await clinicMessages(sandbox, tommy)).find(
      (m) => !('partOf' in m) && m.recipient?.some((r) => r.reference === `Patient/${tommy}`),
    );
    const adanMessages = await clinicMessages(sandbox, adan);
    const adanHeader = adanMessages.find(
      (m) => !('partOf' in m) && m.recipient?.some((r) => r.reference === `Patient/${adan}`),
    );
    const staffOnly = adanMessages.find(
      (m) => !('partOf' in m) && !m.recipient?.some((r) => r.reference === `Patient/${adan}`),
    );
    expect(tommyHeader?.id && adanHeader?.id && staffOnly?.id).toBeTruthy();

    const own = await post(
      sandbox,
      tommyTokens.access_token,
      'Communication',
      message(tommy, { partOf: [{ reference: `Communication/${tommyHeader?.id}` }] }),
    );
    expect(own.status).toBe(201);
    for (const [tokens, patient, thread] of [
      [tommyTokens, tommy, adanHeader?.id],
      [tommyTokens, tommy, 'does-not-exist'],
      [adanTokens, adan, staffOnly?.id],
    ] as const) {
      const res = await post(
        sandbox,
        tokens.access_token,
        'Communication',
        message(patient, { recipient: [{ reference: LOPEZ }], partOf: [{ reference: `Communication/${thread}` }] }),
      );
      expect(res.status, thread).toBe(422);
      expect(outcomeText(res.body)).toMatch(/Communication\.partOf/);
    }
  });

  test('the header of a new conversation (topic, no payload) follows the same rules', async () => {
    const tokens = await signIn(sandbox, 'Friesen');
    const header = (overrides: Partial<Communication>) => {
      const { payload: _, ...rest } = message(tommy, {
        status: 'in-progress',
        topic: { text: 'A question' },
        ...overrides,
      });
      return rest;
    };
    expect(
      (
        await post(
          sandbox,
          tokens.access_token,
          'Communication',
          header({ recipient: [{ reference: `Patient/${adan}` }] }),
        )
      ).status,
    ).toBe(422);
    expect(
      (await post(sandbox, tokens.access_token, 'Communication', header({ subject: { reference: `Patient/${adan}` } })))
        .status,
    ).toBe(403);
    expect(
      (await post(sandbox, tokens.access_token, 'Communication', header({ sender: { reference: MAGGIO } }))).status,
    ).toBe(403);
    expect(
      (await post(sandbox, tokens.access_token, 'Communication', header({ recipient: [{ reference: KASSULKE }] })))
        .status,
    ).toBe(422);
    expect((await post(sandbox, tokens.access_token, 'Communication', header({}))).status).toBe(201);
  });

  test("an id chosen by the client is not used: another patient's message is never reached by it", async () => {
    const tokens = await signIn(sandbox, 'Friesen');
    const theirs = (await clinicMessages(sandbox, adan))[0];
    const res = await post(sandbox, tokens.access_token, 'Communication', { ...message(tommy), id: theirs?.id });
    expect(res.status).toBe(201);
    expect((res.body as Communication).id).not.toBe(theirs?.id);
    const still = await sandbox.engine.repo.readResource<Communication>('Communication', theirs?.id as string);
    expect(still.subject?.reference).toBe(`Patient/${adan}`);
  });
});

describe('total counts only what the token may see', () => {
  test("Communication?_count=0 counts only the patient's own messages", async () => {
    const tokens = await signIn(sandbox, 'Portillo');
    const me = `Patient/${adan}`;
    const visible = (await clinicMessages(sandbox, adan)).filter(
      (m) => m.sender?.reference === me || m.recipient?.some((r) => r.reference === me),
    );
    const res = await fhirJson<Bundle>(sandbox, tokens.access_token, 'Communication?_count=0');
    expect(res.body.total).toBe(visible.length);
    const all = await fhirJson<Bundle>(sandbox, tokens.access_token, 'Communication?_count=1000');
    expect(all.body.total).toBe(all.body.entry?.length);
  });

  test('the staff-only conversation about the patient does not leak by count', async () => {
    const tokens = await signIn(sandbox, 'Portillo');
    const me = `Patient/${adan}`;
    const full = await fhirJson<Bundle>(sandbox, tokens.access_token, `Communication?subject=${me}&_count=1000`);
    const count = await fhirJson<Bundle>(sandbox, tokens.access_token, `Communication?subject=${me}&_count=0`);
    expect(count.body.total).toBe(full.body.entry?.length);
    const staffOnly = (await clinicMessages(sandbox, adan)).filter(
      (m) => m.sender?.reference !== me && !m.recipient?.some((r) => r.reference === me),
    );
    expect(staffOnly.length).toBeGreaterThan(0);
    expect(full.body.entry?.some((e) => staffOnly.some((s) => s.id === e.resource?.id))).toBe(false);
  });

  test('_summary=count: the same count, and no entries', async () => {
    const tokens = await signIn(sandbox, 'Portillo');
    const full = await fhirJson<Bundle>(sandbox, tokens.access_token, 'Communication?_count=1000');
    const summary = await fhirJson<Bundle>(sandbox, tokens.access_token, 'Communication?_summary=count');
    expect(summary.status).toBe(200);
    expect(summary.body.total).toBe(full.body.entry?.length);
    expect(summary.body.entry ?? []).toEqual([]);
  });

  test("another patient's messages are not counted, however they are named", async () => {
    const tokens = await signIn(sandbox, 'Friesen');
    for (const search of [
      `Communication?recipient=Patient/${adan}&_count=0`,
      `Communication?sender=Patient/${adan}&_summary=count`,
      'Communication?sender:Patient.name=Portillo&_count=0',
    ]) {
      const res = await fhirJson<Bundle>(sandbox, tokens.access_token, search);
      expect(res.status === 200 ? res.body.total : 0, search).toBe(0);
    }
  });
});

describe('If-None-Exist only matches inside the compartment', () => {
  test("another patient's message identifier or id neither reveals nor reuses their message", async () => {
    const adanTokens = await signIn(sandbox, 'Portillo');
    const theirs = message(adan, { recipient: [{ reference: LOPEZ }] });
    const created = await post(sandbox, adanTokens.access_token, 'Communication', theirs);
    expect(created.status).toBe(201);
    const theirId = (created.body as Communication).id;
    const identifier = theirs.identifier?.[0]?.value;

    const tokens = await signIn(sandbox, 'Friesen');
    for (const condition of [`identifier=urn:ietf:rfc:3986|${identifier}`, `_id=${theirId}`]) {
      const mine = message(tommy, { identifier: theirs.identifier ?? [] });
      const res = await post(sandbox, tokens.access_token, 'Communication', mine, { 'If-None-Exist': condition });
      expect(res.status, condition).toBe(201);
      const body = res.body as Communication;
      expect(body.id).not.toBe(theirId);
      expect(body.payload?.[0]?.contentString).toBe(mine.payload?.[0]?.contentString);
      // The patient's own retry finds their own copy.
      const again = await post(sandbox, tokens.access_token, 'Communication', mine, {
        'If-None-Exist': `_id=${body.id}`,
      });
      expect(again.status).toBe(200);
      expect((again.body as Communication).id).toBe(body.id);
    }
    const still = await sandbox.engine.repo.readResource<Communication>('Communication', theirId as string);
    expect(still.sender?.reference).toBe(`Patient/${adan}`);
  });
});

describe('a replayed refresh token or code revokes the whole token family', () => {
  test('replaying a rotated refresh token revokes every token descended from the sign-in, later ones too', async () => {
    const first = await signIn(sandbox, 'Friesen');
    const second = await refresh(sandbox, first.refresh_token);
    const third = await refresh(sandbox, second.body.refresh_token);
    expect(third.status).toBe(200);
    const bystander = await signIn(sandbox, 'Friesen');

    const replay = await refresh(sandbox, first.refresh_token);
    expect(replay.body.error).toBe('invalid_grant');
    for (const token of [first.access_token, second.body.access_token, third.body.access_token]) {
      expect((await fhir(sandbox, token, `Patient/${tommy}`)).status).toBe(401);
    }
    expect((await refresh(sandbox, third.body.refresh_token)).body.error).toBe('invalid_grant');
    expect((await fhir(sandbox, bystander.access_token, `Patient/${tommy}`)).status).toBe(200);
    expect((await refresh(sandbox, bystander.refresh_token)).status).toBe(200);
  });

  test('replaying a code revokes the tokens it gave and those from later refreshes', async () => {
    const { verifier, challenge } = pkce();
    const code = await authorizeCode(sandbox, 'Friesen', { challenge });
    const first = await redeem(sandbox, code, verifier);
    const later = await refresh(sandbox, first.body.refresh_token);
    expect(later.status).toBe(200);
    const replay = await redeem(sandbox, code, verifier);
    expect(replay.body.error).toBe('invalid_grant');
    expect((await fhir(sandbox, later.body.access_token, `Patient/${tommy}`)).status).toBe(401);
    expect((await refresh(sandbox, later.body.refresh_token)).body.error).toBe('invalid_grant');
  });
});

describe('other doors an attacker would try', () => {
  test('_revinclude cannot reach a type the token was not granted, nor the staff-only thread', async () => {
    const tokens = await signIn(sandbox, 'Portillo', { scope: 'launch/patient patient/Patient.rs' });
    for (const search of [
      'Patient?_revinclude=Observation:subject',
      'Patient?_revinclude=Observation:patient',
      'Patient?_revinclude=Communication:subject',
    ]) {
      const res = await fhirJson<Bundle>(sandbox, tokens.access_token, search);
      expect(
        res.status === 200 ? (res.body.entry?.filter((e) => e.resource?.resourceType !== 'Patient') ?? []) : [],
        search,
      ).toEqual([]);
    }
    const all = await signIn(sandbox, 'Portillo');
    const me = `Patient/${adan}`;
    const staffOnly = new Set(
      (await clinicMessages(sandbox, adan))
        .filter((m) => m.sender?.reference !== me && !m.recipient?.some((r) => r.reference === me))
        .map((m) => m.id),
    );
    for (const search of [
      'Patient?_revinclude=Communication:subject',
      `Communication?recipient=${me}&_include=Communication:part-of&_revinclude=Communication:part-of&_count=1000`,
    ]) {
      const res = await fhirJson<Bundle>(sandbox, all.access_token, search);
      expect(res.body.entry?.some((e) => staffOnly.has(e.resource?.id)) ?? false, search).toBe(false);
    }
  });

  test("_history and versions of another patient's resources are not served", async () => {
    const tokens = await signIn(sandbox, 'Friesen');
    const theirs = await anyObservationOf(adan);
    for (const path of [
      'Observation/_history',
      '_history',
      `Observation/${theirs.id}/_history`,
      `Observation/${theirs.id}/_history/${theirs.meta?.versionId}`,
    ]) {
      const res = await fhir(sandbox, tokens.access_token, path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(await res.text()).not.toContain(`Patient/${adan}`);
    }
  });

  test('chained parameters and _has reach nothing outside the compartment', async () => {
    const tokens = await signIn(sandbox, 'Friesen');
    for (const search of [
      'Observation?subject:Patient.name=Portillo',
      'Communication?sender:Patient.name=Portillo',
      `Patient?_has:Observation:patient:_id=${(await anyObservationOf(adan)).id}`,
      'CareTeam?subject:Patient.name=Portillo',
    ]) {
      const res = await fhirJson<Bundle>(sandbox, tokens.access_token, search);
      if (res.status === 200) {
        expect(res.body.total, search).toBe(0);
      } else {
        expect(res.status, search).toBe(400);
      }
    }
  });

  test("another patient's Binary and DocumentReference are not reached, read or counted", async () => {
    const binary = await sandbox.engine.repo.createResource<Binary>({
      resourceType: 'Binary',
      contentType: 'text/plain',
      data: Buffer.from('secret').toString('base64'),
      securityContext: { reference: `Patient/${adan}` },
    });
    const loose = await sandbox.engine.repo.createResource<Binary>({
      resourceType: 'Binary',
      contentType: 'text/plain',
      data: Buffer.from('loose').toString('base64'),
    });
    const doc = await sandbox.engine.repo.createResource<DocumentReference>({
      resourceType: 'DocumentReference',
      status: 'current',
      subject: { reference: `Patient/${adan}` },
      content: [{ attachment: { url: `Binary/${binary.id}` } }],
    });
    const tokens = await signIn(sandbox, 'Friesen', {
      scope: 'launch/patient patient/*.rs patient/Binary.r patient/DocumentReference.rs',
    });
    for (const path of [`Binary/${binary.id}`, `Binary/${loose.id}`, `DocumentReference/${doc.id}`]) {
      const res = await fhir(sandbox, tokens.access_token, path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(await res.text()).not.toContain('c2VjcmV0');
    }
    for (const search of [
      'Binary?_count=0',
      'DocumentReference?_count=0',
      `DocumentReference?subject=Patient/${adan}`,
    ]) {
      const res = await fhirJson<Bundle>(sandbox, tokens.access_token, search);
      expect(res.status === 200 ? res.body.total : 0, search).toBe(0);
    }
  });

  test("another patient's id in subject or patient is refused, however it is written", async () => {
    const tokens = await signIn(sandbox, 'Friesen');
    for (const search of [
      `Observation?subject=Patient/${adan}`,
      `Observation?patient=${adan}`,
      `Observation?subject=${sandbox.fhirBaseUrl}/Patient/${adan}`,
      `Observation?subject:Patient=${adan}`,
      `Observation?patient:Patient=${adan}`,
      `CareTeam?patient=Patient/${adan}`,
      `Communication?subject=Patient/${adan}`,
      `Patient?_id=${adan}`,
    ]) {
      const res = await fhirJson<Bundle>(sandbox, tokens.access_token, search);
      if (res.status === 200)
        expect(res.body.entry?.filter((e) => JSON.stringify(e.resource).includes(adan)) ?? [], search).toEqual([]);
      else expect(res.status, search).toBe(403);
    }
    const byPost = await fhir(sandbox, tokens.access_token, 'Observation/_search', {
      method: 'POST',
      body: `subject=Patient/${adan}`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(byPost.status).toBe(403);
  });

  test('batch and transaction bundles at the base are refused and change nothing', async () => {
    const tokens = await signIn(sandbox, 'Friesen', { scope: 'launch/patient patient/*.cruds' });
    const theirs = await anyObservationOf(adan);
    for (const type of ['batch', 'transaction'] as const) {
      const bundle: Bundle = {
        resourceType: 'Bundle',
        type,
        entry: [
          { request: { method: 'DELETE', url: `Observation/${theirs.id}` } },
          {
            resource: message(tommy, { recipient: [{ reference: `Patient/${adan}` }] }),
            request: { method: 'POST', url: 'Communication' },
          },
        ],
      };
      const res = await fhir(sandbox, tokens.access_token, '', { method: 'POST', body: JSON.stringify(bundle) });
      expect(res.status, type).toBeGreaterThanOrEqual(400);
    }
    await sandbox.engine.repo.readResource('Observation', theirs.id as string);
  });

  test('$everything and other operations are not offered', async () => {
    const tokens = await signIn(sandbox, 'Friesen');
    for (const path of [
      `Patient/${tommy}/$everything`,
      `Patient/${adan}/$everything`,
      'Patient/$everything',
      '$graphql',
    ]) {
      const res = await fhir(
        sandbox,
        tokens.access_token,
        path,
        path === '$graphql' ? { method: 'POST', body: '{"query":"{ Patient(id: \\"x\\") { id } }"}' } : {},
      );
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(await res.text()).not.toContain(`Patient/${adan}`);
    }
  });
});
