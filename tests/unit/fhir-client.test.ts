/**
 * The FHIR data layer: every failure becomes a kind the page can explain
 * (offline, timeout, 401, 403, 404, 5xx, malformed JSON, OperationOutcome),
 * tokens are refreshed once, and never sent outside the FHIR server.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { installBrowserGlobals } from './support/browser-globals.ts';
import { getSession, saveSession, type Session } from '../../src/lib/auth/session.ts';
import { configureFhir, fhirRequest, readBundle, resolveUrl, search } from '../../src/lib/fhir/client.ts';
import { FhirError, FHIR_ERROR_KINDS, kindForStatus, outcomeText } from '../../src/lib/fhir/errors.ts';
import { resources } from '../../src/lib/i18n/resources.ts';

const BASE = 'https://ehr.example.org/fhir/R4';
const browser = installBrowserGlobals();

const session = (overrides: Partial<Session> = {}): Session => ({
  accessToken: 'token-1',
  refreshToken: 'refresh-1',
  expiresAt: Date.now() + 600_000,
  scope: 'openid patient/Observation.rs patient/Communication.crs',
  patientId: 'p1',
  fhirBaseUrl: BASE,
  tokenEndpoint: 'https://ehr.example.org/token',
  issuer: BASE,
  clientId: 'clara',
  ...overrides,
});

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/fhir+json', ...headers },
  });

let fetchMock: ReturnType<typeof vi.fn>;

beforeEach(() => {
  browser.online(true);
  configureFhir({ issuer: BASE, clientId: 'clara', fhirBaseUrl: BASE, offlineAccess: true, timeoutMs: 200 });
  saveSession(session());
  fetchMock = vi.fn();
  vi.stubGlobal('fetch', fetchMock);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

async function failure(promise: Promise<unknown>): Promise<FhirError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FhirError);
    return error as FhirError;
  }
  throw new Error('expected a failure');
}

describe('fhirRequest', () => {
  test('sends the bearer token to the FHIR server and returns the resource', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { resourceType: 'Patient', id: 'p1' }));
    const { body } = await fhirRequest('Patient/p1');
    expect(body.id).toBe('p1');
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe(`${BASE}/Patient/p1`);
    expect((init.headers as Record<string, string>)['Authorization']).toBe('Bearer token-1');
    expect(init.credentials).toBe('omit');
  });

  test('keeps the data out of the browser’s HTTP cache: no-store, until the server’s answers say no-store themselves (so preflights can be kept)', async () => {
    sessionStorage.removeItem('clara.serverNoStore');
    const patient = { resourceType: 'Patient', id: 'p1' };
    const modes = async (answers: Response[]) => {
      const out: (RequestCache | undefined)[] = [];
      for (const answer of answers) {
        fetchMock.mockResolvedValueOnce(answer);
        await fhirRequest('Patient/p1').catch(() => undefined);
        out.push((fetchMock.mock.calls.at(-1) as [string, RequestInit])[1].cache);
      }
      return out;
    };
    // The first request cannot know; a server that says no-store (in any spelling) lets the next ones go with the default mode.
    expect(
      await modes([
        json(200, patient, { 'Cache-Control': 'private, No-Store' }),
        json(200, patient, { 'Cache-Control': 'no-store' }),
      ]),
    ).toEqual(['no-store', 'default']);
    // One answer without it (none, or only no-cache, which still lets the browser keep it) puts every later request back.
    expect(
      await modes([json(200, patient), json(200, patient, { 'Cache-Control': 'no-cache' }), json(404, {})]),
    ).toEqual(['default', 'no-store', 'no-store']);
  });

  test('never sends the token outside the FHIR server (a hostile next link)', async () => {
    const error = await failure(fhirRequest('https://evil.example/fhir/Observation?page=2'));
    expect(error.kind).toBe('malformed');
    expect(fetchMock).not.toHaveBeenCalled();
    expect(() => resolveUrl(BASE, `${BASE}evil/Observation`)).toThrow(FhirError);
    expect(resolveUrl(BASE, `${BASE}/Observation?_offset=50`)).toBe(`${BASE}/Observation?_offset=50`);
  });

  test('offline: the browser says so, nothing is sent', async () => {
    browser.online(false);
    expect((await failure(fhirRequest('Observation'))).kind).toBe('offline');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  test('a network failure while online: the clinic cannot be reached', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    expect((await failure(fhirRequest('Observation'))).kind).toBe('unreachable');
  });

  test('a request that takes too long times out', async () => {
    fetchMock.mockImplementationOnce(
      (_url: string, init: RequestInit) =>
        new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason))),
    );
    expect((await failure(fhirRequest('Observation'))).kind).toBe('timeout');
  });

  test.each([
    [404, 'not-found'],
    [410, 'not-found'],
    [429, 'busy'],
    [500, 'server'],
    [503, 'server'],
    [504, 'timeout'],
    [400, 'rejected'],
    [422, 'rejected'],
  ])('HTTP %i → %s, keeping the OperationOutcome text as detail', async (status, kind) => {
    fetchMock.mockResolvedValueOnce(
      json(status, {
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'x', details: { text: 'Server words' } }],
      }),
    );
    const error = await failure(fhirRequest('Observation'));
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.detail).toBe('Server words');
  });

  test('403 for a type the sign-in did not grant → not-granted; otherwise forbidden', async () => {
    fetchMock.mockResolvedValueOnce(json(403, { resourceType: 'OperationOutcome', issue: [] }));
    expect((await failure(fhirRequest('DiagnosticReport'))).kind).toBe('not-granted');
    fetchMock.mockResolvedValueOnce(json(403, { resourceType: 'OperationOutcome', issue: [] }));
    expect((await failure(fhirRequest('Observation/other'))).kind).toBe('forbidden');
  });

  test('malformed answers: not JSON, or JSON that is not a FHIR resource', async () => {
    fetchMock.mockResolvedValueOnce(json(200, '{"resourceType": "Bund'));
    expect((await failure(fhirRequest('Observation'))).kind).toBe('malformed');
    fetchMock.mockResolvedValueOnce(json(200, { hello: 'world' }));
    expect((await failure(fhirRequest('Observation'))).kind).toBe('malformed');
    fetchMock.mockResolvedValueOnce(json(200, '<html>proxy login</html>'));
    expect((await failure(fhirRequest('Observation'))).kind).toBe('malformed');
  });

  test('401: refreshes once, retries with the new token', async () => {
    fetchMock
      .mockResolvedValueOnce(json(401, { resourceType: 'OperationOutcome', issue: [] }))
      .mockResolvedValueOnce(
        json(
          200,
          {
            access_token: 'token-2',
            token_type: 'Bearer',
            expires_in: 600,
            scope: 'openid patient/Observation.rs',
            refresh_token: 'refresh-2',
          },
          { 'Content-Type': 'application/json' },
        ),
      )
      .mockResolvedValueOnce(json(200, { resourceType: 'Bundle', type: 'searchset', entry: [] }));
    await fhirRequest('Observation');
    expect(fetchMock).toHaveBeenCalledTimes(3);
    const retry = fetchMock.mock.calls[2] as [string, RequestInit];
    expect((retry[1].headers as Record<string, string>)['Authorization']).toBe('Bearer token-2');
    expect(getSession()?.refreshToken).toBe('refresh-2');
  });

  test('401 and the refresh is refused: the session is forgotten and the patient must sign in', async () => {
    fetchMock
      .mockResolvedValueOnce(json(401, { resourceType: 'OperationOutcome', issue: [] }))
      .mockResolvedValueOnce(json(400, { error: 'invalid_grant' }, { 'Content-Type': 'application/json' }));
    expect((await failure(fhirRequest('Observation'))).kind).toBe('expired');
    expect(getSession()).toBeNull();
  });

  test('one refresh at a time: two requests that both get 401 share one refresh', async () => {
    let refreshes = 0;
    fetchMock.mockImplementation(async (url: string, init: RequestInit) => {
      if (url.endsWith('/token')) {
        refreshes++;
        await new Promise((r) => setTimeout(r, 20));
        return json(
          200,
          {
            access_token: 'token-3',
            token_type: 'Bearer',
            expires_in: 600,
            scope: 'openid patient/Observation.rs',
            refresh_token: `refresh-${refreshes + 2}`,
          },
          { 'Content-Type': 'application/json' },
        );
      }
      const auth = (init.headers as Record<string, string>)['Authorization'];
      return auth === 'Bearer token-3'
        ? json(200, { resourceType: 'Bundle', type: 'searchset' })
        : json(401, { resourceType: 'OperationOutcome', issue: [] });
    });
    await Promise.all([fhirRequest('Observation'), fhirRequest('Communication')]);
    expect(refreshes).toBe(1);
  });

  test('a 401 that comes back after another request renewed the sign-in retries with the new token, without renewing again', async () => {
    let refreshes = 0;
    let lateAnswer: (response: Response) => void = () => undefined;
    fetchMock.mockImplementation(async (url: string, init: RequestInit) => {
      if (url.endsWith('/token')) {
        refreshes++;
        return json(
          200,
          {
            access_token: `token-${refreshes + 1}`,
            token_type: 'Bearer',
            expires_in: 600,
            scope: 'openid patient/Observation.rs',
            refresh_token: `refresh-${refreshes + 1}`,
          },
          { 'Content-Type': 'application/json' },
        );
      }
      const auth = (init.headers as Record<string, string>)['Authorization'];
      if (auth !== 'Bearer token-1') return json(200, { resourceType: 'Bundle', type: 'searchset' });
      // The first request's 401 comes at once; the second's only when the test lets it.
      if (url.includes('Communication')) return new Promise<Response>((resolve) => (lateAnswer = resolve));
      return json(401, { resourceType: 'OperationOutcome', issue: [] });
    });
    const late = fhirRequest('Communication');
    await fhirRequest('Observation');
    expect(getSession()?.accessToken).toBe('token-2');
    lateAnswer(json(401, { resourceType: 'OperationOutcome', issue: [] }));
    await late;
    expect(refreshes).toBe(1);
    expect(getSession()?.refreshToken).toBe('refresh-2');
  });

  test('no session: the patient must sign in', async () => {
    sessionStorage.clear();
    saveSession(session());
    (await import('../../src/lib/auth/session.ts')).clearSession();
    expect((await failure(fhirRequest('Observation'))).kind).toBe('expired');
  });
});

describe('bundles', () => {
  test('matches, includes and the next page; broken entries are skipped', () => {
    const page = readBundle(
      {
        resourceType: 'Bundle',
        total: 120,
        link: [
          { relation: 'self', url: 'x' },
          { relation: 'next', url: `${BASE}/Observation?_offset=50` },
        ],
        entry: [
          { resource: { resourceType: 'Observation', id: 'a' }, search: { mode: 'match' } },
          { resource: { resourceType: 'Practitioner', id: 'd' }, search: { mode: 'include' } },
          { resource: null },
          { nothing: true },
          { resource: { resourceType: 'OperationOutcome' }, search: { mode: 'outcome' } },
        ],
      },
      'Observation',
    );
    expect(page.resources.map((r) => r.id)).toEqual(['a']);
    expect(page.included.map((r) => r.id)).toEqual(['d']);
    expect(page.next).toBe(`${BASE}/Observation?_offset=50`);
    expect(page.total).toBe(120);
  });

  test('not a Bundle → malformed', () => {
    expect(() => readBundle({ resourceType: 'Patient' }, 'Observation')).toThrow(FhirError);
    expect(() => readBundle('nope', 'Observation')).toThrow(FhirError);
  });

  test('search() builds the query', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { resourceType: 'Bundle', type: 'searchset', entry: [] }));
    await search('Observation', { _count: '50', _sort: '-date' });
    expect(fetchMock.mock.calls[0]?.[0]).toBe(`${BASE}/Observation?_count=50&_sort=-date`);
  });
});

describe('error kinds', () => {
  test('statuses', () => {
    expect(kindForStatus(401)).toBe('expired');
    expect(kindForStatus(418)).toBe('rejected');
  });
  test('OperationOutcome text', () => {
    expect(
      outcomeText({ resourceType: 'OperationOutcome', issue: [{ diagnostics: 'a' }, { details: { text: 'b' } }] }),
    ).toBe('a b');
    expect(outcomeText({ resourceType: 'Patient' })).toBeUndefined();
  });
  test('every kind has a plain sentence in both languages', () => {
    for (const lang of ['en', 'es'] as const) {
      const table = resources[lang].errors as Record<string, string>;
      for (const kind of FHIR_ERROR_KINDS) expect(table[`fhir.${kind}`], `${lang} fhir.${kind}`).toBeTruthy();
    }
  });
});
