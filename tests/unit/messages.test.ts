/**
 * Conversations from Communications (partOf, inResponseTo, order, missing
 * or unknown references, staff-only filtering), the outbox rules (only a
 * 2xx is sent; duplicates are sent; 4xx kept; timeouts and 5xx retried),
 * idempotent sending, and safe display of message text.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Bundle, CareTeam, Communication } from '@medplum/fhirtypes';
import { prepareSeed } from '../../sandbox/seed.ts';
import { installBrowserGlobals } from './support/browser-globals.ts';
import { buildThreads, orderMessages } from '../../src/lib/messages/threads.ts';
import { snippet, unreadIn } from '../../src/lib/messages/inbox.ts';
import type { Message } from '../../src/lib/messages/types.ts';
import { outgoingMessage } from '../../src/lib/messages/outgoing.ts';
import { linkParts } from '../../src/lib/fhir/links.ts';
import { formatSize, timeInWords } from '../../src/lib/i18n/format.ts';
import {
  backoffMs,
  dueItems,
  expiredSent,
  listItems,
  outcomeOf,
  putItem,
  type OutboxItem,
} from '../../src/lib/messages/outbox.ts';
import { clearOutboxMark, outboxMayWait } from '../../src/lib/messages/outbox-mark.ts';
import { deliver } from '../../src/lib/messages/deliver.ts';
import { configureFhir } from '../../src/lib/fhir/client.ts';
import { saveSession } from '../../src/lib/auth/session.ts';
import { discardDraft, draftSaver, loadDraft, saveDraft } from '../../src/lib/messages/drafts.ts';

installBrowserGlobals();

const P = 'p1';
const me = { reference: `Patient/${P}`, display: 'Adán Portillo' };
const nurse = { reference: 'Practitioner/n', display: 'María López, RN' };
const doctor = { reference: 'Practitioner/d' };
const c = (id: string, extra: Partial<Communication>): Communication => ({
  resourceType: 'Communication',
  id,
  status: 'completed',
  ...extra,
});
const header = c('h', { status: 'in-progress', subject: me, recipient: [me, nurse], topic: { text: 'Su presión' } });
const m1 = c('m1', {
  partOf: [{ reference: 'Communication/h' }],
  sender: nurse,
  recipient: [me],
  sent: '2026-11-20T10:00:00-06:00',
  payload: [{ contentString: 'Buenos días.' }],
});
const m2 = c('m2', {
  partOf: [{ reference: 'Communication/h' }],
  inResponseTo: [{ reference: 'Communication/m1' }],
  sender: me,
  recipient: [nurse],
  sent: '2026-11-20T11:00:00-06:00',
  payload: [{ contentString: 'Gracias.' }],
});
const m3 = c('m3', {
  partOf: [{ reference: 'Communication/h' }],
  inResponseTo: [{ reference: 'Communication/m2' }],
  sender: nurse,
  recipient: [me],
  sent: '2026-11-21T09:00:00-06:00',
  payload: [{ contentString: 'De nada.' }],
});

describe('conversations', () => {
  test('partOf makes a conversation; messages in order; own messages marked', () => {
    const [thread, ...rest] = buildThreads([m3, header, m1, m2], P);
    expect(rest).toEqual([]);
    expect(thread?.id).toBe('h');
    expect(thread?.topic).toBe('Su presión');
    expect(thread?.messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
    expect(thread?.messages.map((m) => m.mine)).toEqual([false, true, false]);
    expect(thread?.lastId).toBe('m3');
    expect(thread?.with.map((p) => p.name)).toEqual(['María López, RN']);
    expect(thread?.replyTo.map((p) => p.reference)).toEqual(['Practitioner/n']);
  });

  test('a reply is never shown before the message it answers, even with a wrong clock', () => {
    const early = { ...m2, sent: '2026-11-19T08:00:00-06:00' };
    const [thread] = buildThreads([header, m1, early], P);
    expect(thread?.messages.map((m) => m.id)).toEqual(['m1', 'm2']);
    const msgs: Message[] = [
      {
        id: 'b',
        inResponseTo: 'a',
        from: { reference: 'x', name: '', role: 'staff' },
        mine: false,
        text: '',
        attachments: [],
      },
      { id: 'a', from: { reference: 'x', name: '', role: 'staff' }, mine: false, text: '', attachments: [] },
    ];
    expect(orderMessages(msgs).map((m) => m.id)).toEqual(['a', 'b']);
  });

  test('missing or unknown references: a message whose header is missing still makes a conversation', () => {
    const orphan = c('o1', {
      partOf: [{ reference: 'Communication/gone' }],
      inResponseTo: [{ reference: 'Communication/nowhere' }],
      sender: nurse,
      recipient: [me],
      sent: '2026-11-22T10:00:00Z',
      topic: { text: 'Cita' },
      payload: [{ contentString: 'Hola' }],
    });
    const threads = buildThreads([orphan], P);
    expect(threads.map((t) => [t.id, t.topic, t.messages.length])).toEqual([['gone', 'Cita', 1]]);
  });

  test('a first message without a header heads its own conversation (as Clara sends new ones)', () => {
    const first = c('f1', {
      sender: me,
      recipient: [nurse],
      sent: '2026-11-22T10:00:00Z',
      topic: { text: 'Medicinas' },
      payload: [{ contentString: '¿Puedo…?' }],
    });
    const reply = c('f2', {
      partOf: [{ reference: 'Communication/f1' }],
      sender: nurse,
      recipient: [me],
      sent: '2026-11-22T12:00:00Z',
      payload: [{ contentString: 'Sí.' }],
    });
    const [thread] = buildThreads([reply, first], P);
    expect(thread?.id).toBe('f1');
    expect(thread?.messages.map((m) => m.id)).toEqual(['f1', 'f2']);
  });

  test('staff-only conversations about the patient are never shown', () => {
    const staffHeader = c('s', {
      status: 'in-progress',
      subject: me,
      recipient: [nurse, doctor],
      topic: { text: 'Recheck BP' },
    });
    const staffMsg = c('s1', {
      partOf: [{ reference: 'Communication/s' }],
      subject: me,
      sender: nurse,
      recipient: [doctor],
      sent: '2026-11-22T10:00:00Z',
      payload: [{ contentString: 'Internal' }],
    });
    const threads = buildThreads([header, m1, staffHeader, staffMsg], P);
    expect(threads.map((t) => t.id)).toEqual(['h']);
    expect(JSON.stringify(threads)).not.toContain('Internal');
  });

  test('the sample set: Adán sees his conversations and never the staff-only one', () => {
    const files = ['adan-portillo.care.json', 'synthea-adan-portillo-43b6ae50.json', 'clinic-staff.json'];
    const bundles = files.map((file) => ({
      file,
      bundle: JSON.parse(readFileSync(new URL(`../../sandbox/data/${file}`, import.meta.url), 'utf8')) as Bundle,
    }));
    const resources = prepareSeed(bundles).entries.map((e) => e.resource);
    const adan = resources.find((r) => r.resourceType === 'Patient')?.id as string;
    const comms = resources.filter((r) => r.resourceType === 'Communication') as unknown as Communication[];
    const teams = resources.filter((r) => r.resourceType === 'CareTeam') as unknown as CareTeam[];
    const threads = buildThreads(comms, adan, teams);
    expect(threads.length).toBe(2);
    expect(threads.every((t) => t.messages.every((m) => m.mine || m.from.name))).toBe(true);
    const staffOnly = comms.filter(
      (x) => ![x.sender, ...(x.recipient ?? [])].some((r) => r?.reference === `Patient/${adan}`),
    );
    expect(staffOnly.length).toBeGreaterThan(0);
    const shown = new Set(threads.flatMap((t) => t.messages.map((m) => m.id)));
    expect(staffOnly.some((x) => shown.has(x.id as string))).toBe(false);
    // Names and roles come from the care team when a message has no display.
    expect(threads.flatMap((t) => t.with).some((p) => p.role === 'nurse')).toBe(true);
  });

  test('unread: messages from others, not read here, and recent', () => {
    const [thread] = buildThreads([header, m1, m2, m3], P);
    if (!thread) throw new Error('no thread');
    expect(unreadIn(thread, new Set()).map((m) => m.id)).toEqual(['m1', 'm3']);
    expect(unreadIn(thread, new Set(['m1'])).map((m) => m.id)).toEqual(['m3']);
    expect(unreadIn(thread, new Set(), '2026-11-21').map((m) => m.id)).toEqual(['m3']);
  });

  test('attachments are listed with name and size, and nothing else is fetched', () => {
    const withFile = c('a1', {
      partOf: [{ reference: 'Communication/h' }],
      sender: nurse,
      recipient: [me],
      sent: '2026-11-22T10:00:00Z',
      payload: [
        { contentString: 'Mire' },
        { contentAttachment: { contentType: 'application/pdf', title: 'Plan.pdf', size: 120_000, url: 'Binary/9' } },
      ],
    });
    const [thread] = buildThreads([header, withFile], P);
    expect(thread?.messages[0]?.attachments).toEqual([
      { title: 'Plan.pdf', contentType: 'application/pdf', size: 120_000, url: 'Binary/9' },
    ]);
    expect(formatSize('en', 120_000)).toBe('120 kB');
    expect(formatSize('en', 327)).toBe('0.3 kB');
    expect(formatSize('es', 2_500_000)).toMatch(/^2[.,]5 MB$/);
  });

  test('the message Clara sends: client identifier, partOf and inResponseTo', () => {
    const message = outgoingMessage({
      clientId: 'abc',
      patientId: P,
      text: 'Hola',
      recipients: [nurse],
      sent: '2026-11-22T10:00:00Z',
      thread: 'h',
      inResponseTo: 'm3',
      topicCode: 'results',
    });
    expect(message.identifier).toEqual([{ system: 'urn:ietf:rfc:3986', value: 'urn:uuid:abc' }]);
    expect(message.partOf).toEqual([{ reference: 'Communication/h' }]);
    expect(message.inResponseTo).toEqual([{ reference: 'Communication/m3' }]);
    expect(message.sender).toEqual({ reference: `Patient/${P}` });
    expect(message.category?.[0]?.coding?.[0]).toEqual({
      system: 'http://clara-portal.org/fhir/CodeSystem/message-topic',
      code: 'results',
    });
  });

  test('the start of a message for the inbox', () => {
    expect(snippet('Short one.')).toBe('Short one.');
    expect(snippet('word '.repeat(40))).toMatch(/^word( word)*…$/);
    expect(snippet('a'.repeat(200)).length).toBeLessThanOrEqual(91);
  });
});

describe('outbox rules', () => {
  test('only a 2xx is sent; a duplicate (409/412) means the server already has it', () => {
    expect(outcomeOf({ status: 201 })).toEqual({ state: 'sent' });
    expect(outcomeOf({ status: 200 })).toEqual({ state: 'sent' });
    expect(outcomeOf({ status: 302 })).toEqual({ state: 'failed' });
    expect(outcomeOf({ error: 'rejected', status: 412 })).toEqual({ state: 'sent' });
    expect(outcomeOf({ error: 'rejected', status: 409 })).toEqual({ state: 'sent' });
  });

  test('timeouts, 5xx and lost connections are tried again; the text is kept', () => {
    for (const error of ['timeout', 'server', 'offline', 'unreachable', 'busy', 'malformed'] as const) {
      expect(outcomeOf({ error }).state, error).toBe('failed');
    }
  });

  test('other 4xx keep the text and say what to do; an ended sign-in waits for the next', () => {
    expect(outcomeOf({ error: 'rejected', status: 413 })).toEqual({ state: 'refused', reason: 'too-large' });
    expect(outcomeOf({ error: 'rejected', status: 400 })).toEqual({ state: 'refused', reason: 'invalid' });
    expect(outcomeOf({ error: 'forbidden', status: 403 })).toEqual({ state: 'refused', reason: 'not-allowed' });
    expect(outcomeOf({ error: 'not-found', status: 404 })).toEqual({ state: 'refused', reason: 'gone' });
    expect(outcomeOf({ error: 'expired', status: 401 })).toEqual({ state: 'needs-sign-in' });
  });

  test('back-off: 5 s, 15 s, 30 s, 1 min, 2 min, then every 5 min; never given up', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map(backoffMs)).toEqual([5000, 15000, 30000, 60000, 120000, 300000, 300000]);
  });

  test('what is due: waiting, failed after its wait, sign-in waits, a send cut off mid-way; never sent or refused ones', () => {
    const now = new Date('2026-11-22T10:00:00Z');
    const item = (clientId: string, extra: Partial<OutboxItem>): OutboxItem => ({
      clientId,
      patientId: P,
      kind: 'reply',
      recipients: [],
      text: 'x',
      createdAt: now.toISOString(),
      state: 'waiting',
      attempts: 0,
      ...extra,
    });
    const items = [
      item('w', {}),
      item('f-due', { state: 'failed', nextAttemptAt: '2026-11-22T09:59:00Z' }),
      item('f-later', { state: 'failed', nextAttemptAt: '2026-11-22T10:05:00Z' }),
      item('s', { state: 'sent' }),
      item('r', { state: 'refused', reason: 'invalid' }),
      item('n', { state: 'needs-sign-in' }),
      item('stuck', { state: 'sending', attemptedAt: '2026-11-22T09:50:00Z' }),
      item('busy', { state: 'sending', attemptedAt: '2026-11-22T09:59:50Z' }),
    ];
    expect(dueItems(items, now).map((i) => i.clientId)).toEqual(['w', 'f-due', 'n', 'stuck']);
  });

  test('a page can tell the outbox may hold something without opening it: set when a message is stored unsent, not for a sent one', async () => {
    sessionStorage.clear();
    clearOutboxMark();
    const item: OutboxItem = {
      clientId: 'm-1',
      patientId: P,
      kind: 'new',
      recipients: [],
      text: 'x',
      createdAt: '2026-11-22T10:00:00Z',
      state: 'sent',
      attempts: 1,
    };
    await putItem(item);
    expect(outboxMayWait()).toBe(false);
    await putItem({ ...item, clientId: 'm-2', state: 'waiting' });
    expect(outboxMayWait()).toBe(true);
    clearOutboxMark();
    expect(outboxMayWait()).toBe(false);
  });

  test('tidying: only messages the clinic has had for more than a day go; unsent ones stay, however old', () => {
    const now = new Date('2026-11-22T10:00:00Z');
    const item = (clientId: string, extra: Partial<OutboxItem>): OutboxItem => ({
      clientId,
      patientId: P,
      kind: 'new',
      recipients: [],
      text: 'x',
      createdAt: '2026-01-01T10:00:00Z',
      state: 'waiting',
      attempts: 0,
      ...extra,
    });
    const items = [
      item('sent-old', { state: 'sent', sentAt: '2026-11-21T09:00:00Z' }),
      item('sent-new', { state: 'sent', sentAt: '2026-11-22T09:00:00Z' }),
      item('waiting-old', {}),
      item('refused-old', { state: 'refused', reason: 'invalid' }),
      item('failed-old', { state: 'failed' }),
    ];
    expect(expiredSent(items, now).map((i) => i.clientId)).toEqual(['sent-old']);
  });
});

describe('sending exactly once', () => {
  const BASE = 'https://ehr.example.org/fhir/R4';
  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    sessionStorage.clear();
    configureFhir({ issuer: BASE, clientId: 'c', fhirBaseUrl: BASE, offlineAccess: false, timeoutMs: 500 });
    saveSession({
      accessToken: 't',
      expiresAt: Date.now() + 600_000,
      scope: 'patient/Communication.crs',
      patientId: P,
      fhirBaseUrl: BASE,
      tokenEndpoint: `${BASE}/token`,
      issuer: BASE,
      clientId: 'c',
    });
    fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => vi.unstubAllGlobals());

  const item = (): OutboxItem => ({
    clientId: 'c-1',
    patientId: P,
    kind: 'reply',
    thread: 'h',
    recipients: [nurse],
    text: 'Hola',
    createdAt: '2026-11-22T10:00:00Z',
    state: 'waiting',
    attempts: 0,
  });

  test('every try carries the same identifier and If-None-Exist; a cut reply then a retry makes no second copy', async () => {
    const server = new Map<string, string>();
    fetchMock.mockImplementation(async (_url: string, init: RequestInit) => {
      const headers = init.headers as Record<string, string>;
      const identifier = headers['If-None-Exist']?.replace('identifier=', '') ?? '';
      const existing = server.get(identifier);
      if (existing)
        return new Response(JSON.stringify({ resourceType: 'Communication', id: existing }), { status: 200 });
      server.set(identifier, `srv-${server.size + 1}`);
      // The server created it, but the reply never arrives.
      if (server.size === 1 && !fetchMock.mock.calls.some((_c, i) => i > 0)) throw new TypeError('Failed to fetch');
      return new Response(JSON.stringify({ resourceType: 'Communication', id: server.get(identifier) }), {
        status: 201,
      });
    });
    await putItem(item());
    const first = await deliver(item());
    expect(first.state).toBe('failed');
    expect(first.nextAttemptAt).toBeTruthy();
    const second = await deliver(first);
    expect(second.state).toBe('sent');
    expect(second.serverId).toBe('srv-1');
    expect(server.size).toBe(1);
    const bodies = fetchMock.mock.calls.map(
      ([, init]) => JSON.parse(String((init as RequestInit).body)) as Communication,
    );
    expect(new Set(bodies.map((b) => b.identifier?.[0]?.value))).toEqual(new Set(['urn:uuid:c-1']));
    expect(
      fetchMock.mock.calls.every(
        ([, init]) =>
          (init as RequestInit & { headers: Record<string, string> }).headers['If-None-Exist'] ===
          'identifier=urn:ietf:rfc:3986|urn:uuid:c-1',
      ),
    ).toBe(true);
  });

  test('a refusal keeps the message in the outbox with the reason; it is not dropped', async () => {
    fetchMock.mockResolvedValue(
      new Response(JSON.stringify({ resourceType: 'OperationOutcome', issue: [] }), { status: 413 }),
    );
    await putItem(item());
    const result = await deliver(item());
    expect(result).toMatchObject({ state: 'refused', reason: 'too-large', text: 'Hola' });
    expect((await listItems(P)).map((i) => [i.clientId, i.state])).toEqual([['c-1', 'refused']]);
  });

  test('two sends of the same message at once make one request', async () => {
    fetchMock.mockImplementation(async () => {
      await new Promise((r) => setTimeout(r, 20));
      return new Response(JSON.stringify({ resourceType: 'Communication', id: 'x' }), { status: 201 });
    });
    await putItem(item());
    const [a, b] = await Promise.all([deliver(item()), deliver(item())]);
    expect(a.state).toBe('sent');
    expect(b.state).toBe('sent');
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});

describe('drafts', () => {
  test('kept as the patient types, back after a reload, gone only when discarded', async () => {
    await saveDraft(P, 'new', { text: 'Hola doctora', fields: { topic: 'results' } });
    expect(await loadDraft(P, 'new')).toMatchObject({ text: 'Hola doctora', fields: { topic: 'results' } });
    await discardDraft(P, 'new');
    expect(await loadDraft(P, 'new')).toBeUndefined();
  });

  test('saving waits for a pause in typing, and flushes at once when the page is left', async () => {
    vi.useFakeTimers();
    const save = vi.fn(async () => undefined);
    const saver = draftSaver(save, 400);
    saver.schedule();
    saver.schedule();
    vi.advanceTimersByTime(399);
    expect(save).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(save).toHaveBeenCalledTimes(1);
    saver.schedule();
    await saver.flush();
    vi.advanceTimersByTime(1000);
    expect(save).toHaveBeenCalledTimes(2);
    vi.useRealTimers();
  });
});

describe('safe text', () => {
  test("only https links to the clinic's own site become links", () => {
    const parts = linkParts(
      'See https://riverbend-clinic.example.org/forms and https://evil.example/x or javascript:alert(1) or http://riverbend-clinic.example.org/x.',
      'riverbend-clinic.example.org',
    );
    expect(parts.filter((p) => 'href' in p)).toEqual([
      { text: 'https://riverbend-clinic.example.org/forms', href: 'https://riverbend-clinic.example.org/forms' },
    ]);
    expect(parts.map((p) => p.text).join('')).toContain('javascript:alert(1)');
    expect(
      linkParts('https://portal.riverbend-clinic.example.org/a', 'riverbend-clinic.example.org')[0],
    ).toHaveProperty('href');
    expect(
      linkParts('https://riverbend-clinic.example.org.evil.example/a', 'riverbend-clinic.example.org').some(
        (p) => 'href' in p,
      ),
    ).toBe(false);
    expect(
      linkParts('https://user:pw@riverbend-clinic.example.org/', 'riverbend-clinic.example.org').some(
        (p) => 'href' in p,
      ),
    ).toBe(false);
    expect(linkParts('https://riverbend-clinic.example.org/', undefined).some((p) => 'href' in p)).toBe(false);
  });

  test("times in words, in the patient's language", () => {
    const now = new Date('2026-11-23T18:00:00Z');
    const en = { today: 'Today, {{time}}', yesterday: 'Yesterday, {{time}}', day: '{{day}}, {{time}}' };
    const es = { today: 'Hoy, {{time}}', yesterday: 'Ayer, {{time}}', day: '{{day}}, {{time}}' };
    const norm = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/a\. m\./g, 'a.m.');
    expect(norm(timeInWords('en', '2026-11-23T16:32:00Z', en, now, 'UTC'))).toBe('Today, 4:32 PM');
    expect(norm(timeInWords('es', '2026-11-23T10:32:00Z', es, now, 'UTC'))).toBe('Hoy, 10:32 a.m.');
    expect(norm(timeInWords('en', '2026-11-22T09:05:00Z', en, now, 'UTC'))).toBe('Yesterday, 9:05 AM');
    expect(norm(timeInWords('es', '2026-11-19T09:05:00Z', es, now, 'UTC'))).toMatch(/^Jueves, 9:05/);
    expect(timeInWords('en', '2026-10-03T09:05:00Z', en, now, 'UTC')).toBe('October 3, 2026');
  });
});
