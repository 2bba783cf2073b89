/**
 * The page's early FHIR requests (src/lib/fhir/early.ts): which requests a
 * page starts from its <head>, that they are exactly the requests the
 * islands then make (same URL and headers, so the client takes them), that
 * the client takes each once and handles it as its own first attempt
 * (errors, 401 → refresh → retry), and that nothing starts without a
 * session, offline, with a token about to expire, or without the scope.
 */
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { installBrowserGlobals } from './support/browser-globals.ts';
import { getSession, saveSession, type Session } from '../../src/lib/auth/session.ts';
import { cacheMode, configureFhir, fhirRequest, read, search, takeEarly } from '../../src/lib/fhir/client.ts';
import { FhirError } from '../../src/lib/fhir/errors.ts';
import { earlyRequests, earlyScript } from '../../src/lib/fhir/early.ts';
import { helpers, loadThread, loadThreads } from '../../src/lib/messages/load.ts';
import { loadComposeSetup, type ComposeRequest } from '../../src/lib/messages/compose-setup.ts';
import { patientContext, resultsPage } from '../../src/lib/results/fetch-list.ts';
import { historyHint, resultDetail } from '../../src/lib/results/fetch-detail.ts';
import { sameTestTokens } from '../../src/lib/results/loinc.ts';
import { glossary } from '../../src/lib/glossary-client.ts';
import { newSince } from '../../src/lib/store/seen.ts';
import { FRESH_MS, saveCopy } from '../../src/lib/store/saved.ts';
import { freshKey } from '../../src/lib/storage-keys.ts';

const BASE = 'https://ehr.example.org/fhir/R4';
const browser = installBrowserGlobals();
const GLOSSARY = '/en/labs/glossary.json';

const session = (overrides: Partial<Session> = {}): Session => ({
  accessToken: 'token-1',
  refreshToken: 'refresh-1',
  expiresAt: Date.now() + 600_000,
  scope:
    'openid patient/Patient.rs patient/Observation.rs patient/DiagnosticReport.rs patient/Communication.crs patient/CareTeam.rs',
  patientId: 'p-1',
  fhirBaseUrl: BASE,
  tokenEndpoint: 'https://ehr.example.org/token',
  issuer: BASE,
  clientId: 'clara',
  ...overrides,
});

const bundle = (resources: object[] = []) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
});
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/fhir+json' } });

/** What a request URL answers in these tests. */
function answer(url: string): Response {
  if (url === GLOSSARY) return json(200, { '2345-7': { name: 'Blood sugar' } });
  if (url.includes('/Patient/'))
    return json(200, { resourceType: 'Patient', id: 'p-1', birthDate: '1950-01-01', gender: 'female' });
  if (/\/Observation\/[^?]+$/.test(url))
    return json(200, {
      resourceType: 'Observation',
      id: 'o-1',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }] },
      valueQuantity: { value: 5, unit: 'mmol/L' },
    });
  if (/\/Communication\/[^?]+$/.test(url))
    return json(200, { resourceType: 'Communication', id: 'c-1', status: 'completed' });
  return json(200, bundle());
}

/** Runs the page's inline script as the browser would, with this tab's storage and a fetch that records. */
function runHead(route: string, search = '', hash = ''): { started: { url: string; init: RequestInit | undefined }[] } {
  const started: { url: string; init: RequestInit | undefined }[] = [];
  const code = earlyScript(earlyRequests(route, GLOSSARY));
  const window: Record<string, unknown> = {};
  const fetch = (url: string, init?: RequestInit) => {
    started.push({ url, init });
    return Promise.resolve(answer(url));
  };
  runInNewContext(code, {
    window,
    sessionStorage,
    navigator,
    location: { search, hash },
    URLSearchParams,
    JSON,
    Date,
    RegExp,
    encodeURIComponent,
    fetch,
  });
  (globalThis as { __claraEarly?: unknown }).__claraEarly = window['__claraEarly'];
  return { started };
}

let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  browser.online(true);
  sessionStorage.clear();
  configureFhir({ issuer: BASE, clientId: 'clara', fhirBaseUrl: BASE, offlineAccess: true, timeoutMs: 500 });
  saveSession(session());
  fetchMock = vi.fn((url: string) => Promise.resolve(answer(url)));
  vi.stubGlobal('fetch', fetchMock);
  delete (globalThis as { __claraEarly?: unknown }).__claraEarly;
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('which requests a page starts early', () => {
  test('results: Patient, the first page of results and of reports, with the token, as the client sends them', () => {
    const { started } = runHead('results');
    expect(started.map((s) => s.url.replace(BASE, '').split('?')[0])).toEqual([
      '/Patient/p-1',
      '/Observation',
      '/DiagnosticReport',
    ]);
    for (const { init } of started) {
      expect(init?.headers).toEqual({ Accept: 'application/fhir+json', Authorization: 'Bearer token-1' });
      expect(init).toMatchObject({ cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' });
    }
    // A server whose answers say no-store themselves: the default mode, as the client then sends (client.ts cacheMode).
    sessionStorage.setItem('clara.serverNoStore', '1');
    for (const { init } of runHead('results').started) expect(init?.cache).toBe(cacheMode());
    expect(cacheMode()).toBe('default');
  });

  test('a result: the result by the page’s id, and the glossary; nothing without an id', () => {
    expect(runHead('resultView', '?id=o-1').started.map((s) => s.url)).toEqual([`${BASE}/Observation/o-1`, GLOSSARY]);
    expect(
      runHead('resultView', '?id=o-1', '#history=http%3A%2F%2Floinc.org%7C2345-7').started.map(
        (s) => s.url.split('&')[0],
      ),
    ).toEqual([`${BASE}/Observation/o-1`, `${BASE}/Observation?code=http%3A%2F%2Floinc.org%7C2345-7`, GLOSSARY]);
    expect(runHead('resultView', '').started.map((s) => s.url)).toEqual([GLOSSARY]);
  });

  test('home: the greeting’s name and what is new since the day seen.ts counts from, as the island asks', async () => {
    const { started } = runHead('home');
    const since = newSince();
    expect(started.map((s) => s.url.replace(BASE, ''))).toEqual([
      '/Patient/p-1?_elements=name',
      `/Observation?category=laboratory%2Cvital-signs&date=ge${since}&_elements=id&_count=200`,
      `/Communication?recipient=Patient%2Fp-1&sent=ge${since}&_elements=id%2Csender&_count=200`,
    ]);
  });

  test('a fragment that is not a plain encoded value starts no history (nothing of it reaches the FHIR server unencoded)', () => {
    const { started } = runHead('resultView', '?id=o-1', '#history=&_include=*');
    expect(started.map((s) => s.url)).toEqual([`${BASE}/Observation/o-1`, GLOSSARY]);
    const partial = runHead('resultView', '?id=o-1', '#history=abc&_include=*').started.map((s) => s.url);
    expect(partial[1]).toContain('Observation?code=abc&_sort=date');
    expect(partial[1]).not.toContain('_include');
  });

  test('a page that will show the copy it saved a moment ago (and not ask) starts nothing; an older copy does not stop it', async () => {
    await saveCopy('p-1', 'results', { results: [] });
    expect(runHead('results').started).toEqual([]);
    await saveCopy('p-1', 'result.o-1', {});
    expect(runHead('resultView', '?id=o-1').started).toEqual([]);
    expect(runHead('resultView', '?id=o-2').started).toHaveLength(2);
    sessionStorage.setItem(freshKey('p-1', 'results'), String(Date.now() - FRESH_MS - 1));
    expect(runHead('results').started).toHaveLength(3);
  });

  test('a copy the device refused to keep (a full disk) is not marked fresh: the page asks the clinic early as usual', async () => {
    const setItem = sessionStorage.setItem.bind(sessionStorage);
    const full = vi.spyOn(sessionStorage, 'setItem').mockImplementation((k: string, v: string) => {
      if (k.startsWith('clara.kv.')) throw new DOMException('full', 'QuotaExceededError');
      setItem(k, v);
    });
    try {
      await saveCopy('p-1', 'results', { results: [] });
    } finally {
      full.mockRestore();
    }
    expect(sessionStorage.getItem(freshKey('p-1', 'results'))).toBeNull();
    expect(runHead('results').started).toHaveLength(3);
  });

  test('pages without a plan start nothing; the script is empty', () => {
    expect(earlyRequests('settings', GLOSSARY)).toEqual([]);
    expect(earlyScript([])).toBe('');
  });

  test('nothing without a session, offline, with a token about to expire, or outside the scope', () => {
    sessionStorage.clear();
    expect(runHead('results').started).toEqual([]);
    saveSession(session({ expiresAt: Date.now() + 10_000 }));
    expect(runHead('results').started).toEqual([]);
    saveSession(session());
    browser.online(false);
    expect(runHead('results').started).toEqual([]);
    browser.online(true);
    saveSession(session({ scope: 'openid patient/Observation.rs' }));
    expect(runHead('results').started.map((s) => s.url.replace(BASE, '').split('?')[0])).toEqual(['/Observation']);
  });

  test('what the session already keeps is not asked again (Patient’s birth date and sex, the care teams)', () => {
    sessionStorage.setItem('clara.patientContext', '{}');
    sessionStorage.setItem('clara.careTeam', '[]');
    expect(runHead('results').started.map((s) => s.url.replace(BASE, '').split('?')[0])).toEqual([
      '/Observation',
      '/DiagnosticReport',
    ]);
    // Received, sent, and about the patient (a caregiver's conversations, issue 14).
    expect(runHead('messages').started.map((s) => s.url.replace(BASE, '').split('?')[0])).toEqual([
      '/Communication',
      '/Communication',
      '/Communication',
    ]);
  });
});

describe('the client takes the early requests', () => {
  test('results: every early request is the one the island makes, and none is made twice', async () => {
    const { started } = runHead('results');
    await resultsPage(undefined, patientContext());
    expect(fetchMock).not.toHaveBeenCalled();
    expect(started).toHaveLength(3);
    expect(Object.keys((globalThis as { __claraEarly?: object }).__claraEarly ?? {})).toEqual([]);
  });

  test('a result and its glossary; messages; a conversation: the same', async () => {
    runHead('resultView', '?id=o-1');
    const [parts] = await Promise.all([resultDetail('o-1'), glossary('/en/labs/')]);
    await parts?.history;
    // Without the list's hint only the history (it needs the result's code) goes out from the client, after the result.
    expect(fetchMock.mock.calls.map((c) => String(c[0]).replace(BASE, '').split('?')[0])).toEqual(['/Observation']);
    expect(String(fetchMock.mock.calls[0]?.[0])).toContain('code=');

    // The list's link names the test in the fragment: the history starts from <head> too, and is the one the island uses.
    fetchMock.mockClear();
    const hash = `#${new URLSearchParams({ history: sameTestTokens('2345-7') })}`;
    const { started } = runHead('resultView', '?id=o-1', hash);
    expect(started).toHaveLength(3);
    const shown = await resultDetail('o-1', undefined, historyHint(hash));
    expect(shown?.detail.result.id).toBe('o-1');
    await shown?.history;
    expect(fetchMock).not.toHaveBeenCalled();

    // A hint for another test is not used: the right history is asked for after the result.
    runHead('resultView', '?id=o-1', `#${new URLSearchParams({ history: sameTestTokens('718-7') })}`);
    await (
      await resultDetail('o-1', undefined, sameTestTokens('718-7'))
    )?.history;
    expect(fetchMock.mock.calls.map((c) => decodeURIComponent(String(c[0])))).toEqual([
      expect.stringContaining('code=http://loinc.org|2345-7'),
    ]);

    fetchMock.mockClear();
    runHead('messages');
    await loadThreads();
    expect(fetchMock).not.toHaveBeenCalled();

    sessionStorage.removeItem('clara.careTeam');
    runHead('thread', '?id=c-1');
    await loadThread('c-1');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  test('a result comes before its history: the page shows it without waiting for the trend', async () => {
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    fetchMock.mockImplementation((url: string) =>
      url.includes('code=') ? held.then(() => answer(url)) : Promise.resolve(answer(url)),
    );
    const parts = await resultDetail('o-1');
    expect(parts?.detail.result.id).toBe('o-1');
    expect(parts?.detail.history).toEqual([]);
    let arrived = false;
    void parts?.history?.then(() => (arrived = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(arrived, 'the history is still on its way').toBe(false);
    release();
    expect(await parts?.history).toEqual([]);
  });

  test('new message and call me: the care team (and for a call, the patient’s phone numbers), as the form asks; nothing kept is asked again', async () => {
    const form = (mode: ComposeRequest['mode']): ComposeRequest => ({
      lang: 'en',
      mode,
      defaults: [],
      paths: { glossary: '/en/labs/' },
    });
    for (const [route, mode, types] of [
      ['newMessage', 'message', ['/CareTeam']],
      ['callMe', 'callback', ['/CareTeam', '/Patient/p-1']],
    ] as const) {
      sessionStorage.removeItem('clara.careTeam');
      fetchMock.mockClear();
      const { started } = runHead(route);
      expect(started.map((s) => s.url.replace(BASE, '').split('?')[0])).toEqual(types);
      await loadComposeSetup(getSession() as Session, form(mode), null, new AbortController().signal);
      expect(fetchMock, `${route}: nothing asked twice`).not.toHaveBeenCalled();
    }
    expect(runHead('newMessage').started).toEqual([]);
    expect(runHead('callMe').started.map((s) => s.url.replace(BASE, '').split('?')[0])).toEqual(['/Patient/p-1']);
  });

  test('the message pages start the caregivers’ search too (issue 14), and it is the one the page makes', async () => {
    saveSession(session({ scope: `${session().scope} patient/RelatedPerson.rs` }));
    for (const [route, query] of [
      ['messages', ''],
      ['thread', '?id=c-1'],
    ] as const) {
      sessionStorage.removeItem('clara.helpers');
      fetchMock.mockClear();
      const { started } = runHead(route, query);
      expect(started.map((s) => s.url.replace(BASE, '').split('?')[0])).toContain('/RelatedPerson');
      await helpers();
      expect(fetchMock, `${route}: nothing asked twice`).not.toHaveBeenCalled();
    }
    // Kept for this sign-in: not asked again.
    sessionStorage.setItem('clara.helpers', '[]');
    expect(runHead('messages').started.map((s) => s.url)).not.toContainEqual(expect.stringContaining('/RelatedPerson'));
  });

  test('each early response is taken once, and only with the token it was sent with', async () => {
    const response = Promise.resolve(json(200, { resourceType: 'Patient' }));
    (globalThis as { __claraEarly?: object }).__claraEarly = { [`${BASE}/Patient/p-1`]: ['token-0', response] };
    expect(takeEarly(`${BASE}/Patient/p-1`, 'token-1')).toBeUndefined();
    expect(takeEarly(`${BASE}/Patient/p-1`, 'token-0')).toBeUndefined();
    await read('Patient', 'p-1');
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  test('an early 401 is the first attempt: the client refreshes and retries with the new token', async () => {
    runHead('resultView', '?id=o-1');
    const early = (globalThis as unknown as { __claraEarly: Record<string, [string, Promise<Response>]> }).__claraEarly;
    const url = `${BASE}/Observation/o-1`;
    early[url] = ['token-1', Promise.resolve(json(401, { resourceType: 'OperationOutcome', issue: [] }))];
    fetchMock.mockImplementation((u: string) =>
      Promise.resolve(
        u.endsWith('/token')
          ? new Response(
              JSON.stringify({
                access_token: 'token-2',
                token_type: 'Bearer',
                expires_in: 600,
                scope: session().scope,
                refresh_token: 'refresh-2',
              }),
              { status: 200, headers: { 'Content-Type': 'application/json' } },
            )
          : answer(u),
      ),
    );
    const { body } = await fhirRequest(url);
    expect(body.id).toBe('o-1');
    const retry = fetchMock.mock.calls.find((c) => c[0] === url);
    expect((retry?.[1] as RequestInit).headers).toMatchObject({ Authorization: 'Bearer token-2' });
    expect(getSession()?.accessToken).toBe('token-2');
  });

  test('an early request that failed on the network is the client’s failure, said the same way', async () => {
    (globalThis as { __claraEarly?: object }).__claraEarly = {
      [`${BASE}/Observation/o-1`]: ['token-1', Promise.reject(new TypeError('Failed to fetch'))],
    };
    const error = await read('Observation', 'o-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FhirError);
    expect((error as FhirError).kind).toBe('unreachable');
  });

  test('an early request that hangs ends with the client’s timeout', async () => {
    (globalThis as { __claraEarly?: object }).__claraEarly = {
      [`${BASE}/Observation/o-1`]: ['token-1', new Promise(() => undefined)],
    };
    const error = await read('Observation', 'o-1').catch((e: unknown) => e);
    expect((error as FhirError).kind).toBe('timeout');
  });

  test('search() with the same params builds the same URL as the early request', async () => {
    runHead('messages');
    const keys = Object.keys((globalThis as { __claraEarly?: object }).__claraEarly ?? {});
    await search('Communication', {
      recipient: 'Patient/p-1',
      _sort: '-sent',
      _count: '100',
      _elements: 'identifier,status,partOf,inResponseTo,subject,sender,recipient,sent,topic,category,payload',
    });
    expect(keys.length).toBe(4);
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
