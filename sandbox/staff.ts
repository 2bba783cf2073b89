/**
 * The clinic's side of the sandbox, for tests and demos, guarded by the
 * sandbox secret (header `X-Sandbox-Secret`) and never by a patient's token:
 * post a clinician's reply into a conversation, see every message the clinic
 * holds for a patient, make sign-ins expire, and list revoked tokens.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { formatHumanName } from '@medplum/core';
import type { CareTeam, Communication, Patient, Practitioner, Reference, RelatedPerson } from '@medplum/fhirtypes';
import { readBody, sendJson } from './http.ts';
import type { Engine } from './fhir/engine.ts';
import type { TokenStore } from './smart/store.ts';

export interface StaffContext {
  engine: Engine;
  store: TokenStore;
  secret: string;
}

function authorised(req: IncomingMessage, secret: string): boolean {
  const given = Buffer.from(String(req.headers['x-sandbox-secret'] ?? ''));
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function findPatient(engine: Engine, key: string): Promise<Patient | undefined> {
  const all =
    (await engine.repo.search<Patient>({ resourceType: 'Patient', count: 1000 })).entry?.map(
      (e) => e.resource as Patient,
    ) ?? [];
  const needle = key.toLocaleLowerCase('en');
  return (
    all.find((p) => p.id === key) ??
    all.find((p) => formatHumanName(p.name?.[0]).toLocaleLowerCase('en').includes(needle))
  );
}

/** Every Communication that concerns a patient: as subject, sender or recipient. */
export async function messagesOf(engine: Engine, patientId: string): Promise<Communication[]> {
  const ref = `Patient/${patientId}`;
  const all =
    (await engine.repo.search<Communication>({ resourceType: 'Communication', count: 10000 })).entry?.map(
      (e) => e.resource as Communication,
    ) ?? [];
  return all.filter(
    (c) =>
      c.subject?.reference === ref ||
      c.sender?.reference === ref ||
      (c.recipient ?? []).some((r) => r.reference === ref),
  );
}

/** Does the patient, or (in a message about the patient) one of the patient's caregivers, take part? */
const involves = (c: Communication, ref: string, helpers: ReadonlySet<string> = new Set()) =>
  [c.sender, ...(c.recipient ?? [])].some(
    (r) => r?.reference === ref || (c.subject?.reference === ref && helpers.has(r?.reference ?? '')),
  );

/** Posts a clinician's reply into the patient's conversation (the newest one, or `threadId`). */
export async function postStaffReply(
  engine: Engine,
  input: { patient: string; text: string; thread?: string; from?: string },
): Promise<Communication> {
  const patient = await findPatient(engine, input.patient);
  if (!patient?.id) throw new Error(`No patient matches "${input.patient}".`);
  const patientRef = `Patient/${patient.id}`;
  const messages = await messagesOf(engine, patient.id);
  const helpers = new Set(
    (await engine.repo.matches<RelatedPerson>({ resourceType: 'RelatedPerson' }))
      .filter((r) => r.patient?.reference === patientRef)
      .map((r) => `RelatedPerson/${r.id}`),
  );
  const headers = messages.filter((c) => !c.partOf?.length && involves(c, patientRef, helpers));
  const inThread = (h: Communication) =>
    messages.filter((m) => m.partOf?.some((p) => p.reference === `Communication/${h.id}`));
  const latest = (h: Communication) => inThread(h).reduce((max, m) => (m.sent && m.sent > max ? m.sent : max), '');
  const header = input.thread
    ? headers.find((h) => h.id === input.thread)
    : [...headers].sort((a, b) => latest(b).localeCompare(latest(a)))[0];
  if (!header?.id)
    throw new Error(
      `${formatHumanName(patient.name?.[0])} has no conversation${input.thread ? ` ${input.thread}` : ''}.`,
    );

  const thread = inThread(header).sort((a, b) => (a.sent ?? '').localeCompare(b.sent ?? ''));
  const last = thread.at(-1);
  let sender: Reference | undefined = (header.recipient ?? []).find((r) => r.reference?.startsWith('Practitioner/')) as
    Reference | undefined;
  if (input.from) {
    const careTeams =
      (await engine.repo.search<CareTeam>({ resourceType: 'CareTeam', count: 100 })).entry?.map(
        (e) => e.resource as CareTeam,
      ) ?? [];
    const members: Reference[] = careTeams
      .flatMap((ct) => ct.participant ?? [])
      .flatMap((p) => (p.member?.reference?.startsWith('Practitioner/') ? [p.member as Reference] : []));
    const wanted = input.from.toLocaleLowerCase('en');
    sender =
      members.find(
        (m) =>
          m.reference === `Practitioner/${input.from}` || (m.display ?? '').toLocaleLowerCase('en').includes(wanted),
      ) ?? sender;
  }
  if (!sender?.reference) throw new Error('No clinician to send the reply from.');
  if (!sender.display) {
    const practitioner = await engine.repo.readReference(sender as Reference<Practitioner>);
    sender = { reference: sender.reference, display: formatHumanName(practitioner.name?.[0]) };
  }
  // The reply goes to the patient, and to each caregiver who wrote in this conversation (her own copy to read).
  const caregivers = new Map<string, NonNullable<Communication['recipient']>[number]>();
  for (const m of [header, ...thread]) {
    for (const r of [m.sender, ...(m.recipient ?? [])])
      if (r?.reference && helpers.has(r.reference))
        caregivers.set(r.reference, { reference: r.reference, ...(r.display ? { display: r.display } : {}) });
  }
  const reply: Communication = {
    resourceType: 'Communication',
    status: 'completed',
    identifier: [{ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${randomUUID()}` }],
    partOf: [{ reference: `Communication/${header.id}` }],
    ...(last?.id ? { inResponseTo: [{ reference: `Communication/${last.id}` }] } : {}),
    subject: { reference: patientRef, display: formatHumanName(patient.name?.[0]) },
    sender: sender as NonNullable<Communication['sender']>,
    recipient: [{ reference: patientRef, display: formatHumanName(patient.name?.[0]) }, ...caregivers.values()],
    sent: new Date().toISOString(),
    ...(header.topic ? { topic: header.topic } : {}),
    ...(header.category ? { category: header.category } : {}),
    payload: [{ contentString: input.text }],
  };
  return engine.repo.createResource(reply);
}

export async function handleStaff(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: StaffContext,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  if (!authorised(req, ctx.secret)) {
    sendJson(res, 403, {
      error: 'This is the clinic side of the sandbox: it needs the sandbox secret (X-Sandbox-Secret).',
    });
    return;
  }
  try {
    if (path === 'staff-reply' && req.method === 'POST') {
      const input = JSON.parse(await readBody(req)) as {
        patient?: string;
        text?: string;
        thread?: string;
        from?: string;
      };
      if (!input.patient || !input.text) {
        sendJson(res, 400, { error: 'Give "patient" (id or part of the name) and "text".' });
        return;
      }
      const created = await postStaffReply(ctx.engine, {
        patient: input.patient,
        text: input.text,
        ...(input.thread ? { thread: input.thread } : {}),
        ...(input.from ? { from: input.from } : {}),
      });
      sendJson(res, 201, created);
      return;
    }
    if (path === 'messages' && req.method === 'GET') {
      const patient = await findPatient(ctx.engine, query.get('patient') ?? '');
      if (!patient?.id) {
        sendJson(res, 404, { error: 'No such patient.' });
        return;
      }
      sendJson(res, 200, { patient: patient.id, messages: await messagesOf(ctx.engine, patient.id) });
      return;
    }
    if (path === 'expire-tokens' && req.method === 'POST') {
      const input = JSON.parse((await readBody(req)) || '{}') as { refresh?: boolean; accessToken?: string };
      const expired = ctx.store.expire({
        includeRefresh: !!input.refresh,
        ...(input.accessToken ? { accessToken: input.accessToken } : {}),
      });
      sendJson(res, 200, { expired, refresh: !!input.refresh });
      return;
    }
    if (path === 'revocations' && req.method === 'GET') {
      // What was revoked (kind, patient, when, the token's SHA-256): never a token itself.
      const patient = query.get('patient');
      sendJson(res, 200, { revocations: ctx.store.revocations().filter((r) => !patient || r.patient === patient) });
      return;
    }
    sendJson(res, 404, { error: 'Unknown sandbox endpoint.' });
  } catch (error) {
    sendJson(res, 400, { error: (error as Error).message });
  }
}
