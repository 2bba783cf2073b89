/**
 * Authorised FHIR requests: the bearer token, a timeout, one refresh and
 * retry on 401, paging only within the FHIR server, and every failure as a
 * FhirError. Tokens never leave for another origin.
 */
import { clearSession, getSession, granted, type Session } from '../auth/session.ts';
import type { SmartSettings } from '../settings.ts';
import { FhirError, kindForException, kindForStatus, outcomeText } from './errors.ts';
import { anySignal, timeoutSignal } from '../signals.ts';
import { SERVER_NO_STORE } from '../storage-keys.ts';
import type { Bundle, Resource } from '@medplum/fhirtypes';

export interface Page<T extends Resource = Resource> {
  /** The resources that matched. */
  resources: T[];
  /** Resources the search included (_include). */
  included: Resource[];
  /** The next page's URL, when there is one. */
  next?: string;
  total?: number;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface FhirResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** Settings the page hands the client (from the clinic configuration). */
let settings: SmartSettings | undefined;

export function configureFhir(next: SmartSettings): void {
  settings = next;
}

function requireSettings(): SmartSettings {
  if (!settings) throw new Error('configureFhir() was not called');
  return settings;
}

/** Resolves a relative path ("Observation?…") or checks an absolute URL is on the FHIR server. */
export function resolveUrl(baseUrl: string, pathOrUrl: string): string {
  const base = baseUrl.replace(/\/$/, '');
  if (/^https?:/i.test(pathOrUrl)) {
    if (!pathOrUrl.startsWith(`${base}/`))
      throw new FhirError('malformed', { detail: 'A link pointed outside the FHIR server.' });
    return pathOrUrl;
  }
  return `${base}/${pathOrUrl.replace(/^\//, '')}`;
}

/**
 * Requests the page's <head> started before this code arrived
 * (src/lib/fhir/early.ts), by URL, with the token they carry. Each is taken
 * once, and only by a request with the same URL and token; the client then
 * treats it as its own first attempt (timeout, errors, 401 → refresh and
 * retry), so an early request is never made twice and never handled
 * differently.
 */
type EarlyRequests = Record<string, [token: string, response: Promise<Response>]>;

export function takeEarly(url: string, token: string): Promise<Response> | undefined {
  const early = (globalThis as { __claraEarly?: EarlyRequests }).__claraEarly;
  const entry = early?.[url];
  if (!early || !entry) return undefined;
  delete early[url];
  return entry[0] === token ? entry[1] : undefined;
}

/** A promise that gives up when the signal aborts (an early request started before the client's own timeout). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    promise.then(resolve, reject);
  });
}

/**
 * How a request keeps the patient's data out of the browser's HTTP cache.
 * `cache: 'no-store'` does, whatever the server says; but Chromium then
 * skips its CORS-preflight cache too, so every request costs a preflight
 * round trip (400 ms on one bar of signal), even the same search a minute
 * later (measured: three fetches of one URL, three OPTIONS with 'no-store',
 * one with 'default'). A server whose answers carry `Cache-Control:
 * no-store` keeps them out of that cache itself, so for such a server
 * requests go with the default mode and their preflights are kept (the
 * server's Access-Control-Max-Age). Learned from each answer: one without
 * `no-store` puts every later request back on 'no-store'. The page's early
 * requests read the same mark (early.ts).
 */
export function cacheMode(): RequestCache {
  try {
    return sessionStorage.getItem(SERVER_NO_STORE) ? 'default' : 'no-store';
  } catch {
    return 'no-store';
  }
}

function noteCaching(response: Response): void {
  // No other Cache-Control directive has "no-store" in its name.
  const forbids = /no-store/i.test(response.headers.get('Cache-Control') ?? '');
  try {
    if (forbids) sessionStorage.setItem(SERVER_NO_STORE, '1');
    else sessionStorage.removeItem(SERVER_NO_STORE);
  } catch {
    // Storage refused: requests stay on 'no-store'.
  }
}

/** The path of a search, as `search()` asks for it ("Observation?category=…"). */
export function searchPath(type: string, params: Record<string, string>): string {
  return `${type}?${new URLSearchParams(params).toString()}`;
}

/** The path of a read, as `read()` asks for it ("Patient/123?_elements=…"). */
export function readPath(type: string, id: string, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params).toString();
  return `${type}/${encodeURIComponent(id)}${query ? `?${query}` : ''}`;
}

async function renew(): Promise<Session | null> {
  const { refreshSession } = await import('../auth/smart.ts');
  return refreshSession(requireSettings());
}

function isOnline(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false;
}

/** One request, with the session's token; refreshes once on 401 (or when the token is about to expire). */
export async function fhirRequest<T extends Resource>(
  pathOrUrl: string,
  options: RequestOptions = {},
): Promise<FhirResponse<T>> {
  const config = requireSettings();
  let session = getSession();
  if (!session) throw new FhirError('expired');
  if (!isOnline()) throw new FhirError('offline');
  const url = resolveUrl(session.fhirBaseUrl, pathOrUrl);
  if (session.expiresAt - Date.now() < 30_000 && session.refreshToken) {
    session = (await renew()) ?? session;
  }

  for (let attempt = 0; ; attempt++) {
    const timeout = timeoutSignal(config.timeoutMs);
    const signal = options.signal ? anySignal([options.signal, timeout]) : timeout;
    let response: Response;
    // Only a plain GET can be one the page started early (it sends no body and no headers of its own).
    const early =
      attempt === 0 && !options.method && options.body === undefined && !options.headers
        ? takeEarly(url, session.accessToken)
        : undefined;
    try {
      response = early
        ? await untilAborted(early, signal)
        : await fetch(url, {
            method: options.method ?? 'GET',
            headers: {
              Accept: 'application/fhir+json',
              ...(options.body !== undefined ? { 'Content-Type': 'application/fhir+json' } : {}),
              ...options.headers,
              Authorization: `Bearer ${session.accessToken}`,
            },
            ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
            signal,
            cache: cacheMode(),
            credentials: 'omit',
            referrerPolicy: 'no-referrer',
          });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new FhirError(kindForException(error, isOnline()));
    }

    noteCaching(response);
    if (response.status === 401) {
      if (attempt === 0 && session.refreshToken) {
        // A request whose 401 comes back after another one has already renewed the sign-in
        // (a slow line, the page's early requests) retries with that token: renewing again
        // would cost another round trip and rotate the refresh token for nothing.
        const current = getSession();
        const renewed: Session | null =
          current && current.accessToken !== session.accessToken ? current : await renew().catch(() => null);
        if (renewed) {
          session = renewed;
          continue;
        }
      }
      clearSession();
      throw new FhirError('expired', { status: 401 });
    }

    let body: unknown;
    const text = await response.text().catch(() => '');
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
      if (response.ok) throw new FhirError('malformed', { status: response.status, detail: 'The answer is not JSON.' });
    }

    if (!response.ok) {
      let kind = kindForStatus(response.status);
      const type = new URL(url).pathname
        .slice(new URL(session.fhirBaseUrl).pathname.length)
        .split('/')
        .filter(Boolean)[0];
      if (kind === 'forbidden' && type && !granted(session, type)) kind = 'not-granted';
      const detail = outcomeText(body);
      throw new FhirError(kind, { status: response.status, ...(detail ? { detail } : {}) });
    }
    if (!body || typeof body !== 'object' || typeof (body as Resource).resourceType !== 'string') {
      throw new FhirError('malformed', { status: response.status, detail: 'The answer is not a FHIR resource.' });
    }
    return { status: response.status, body: body as T, headers: response.headers };
  }
}

function isResource(value: unknown): value is Resource {
  return !!value && typeof value === 'object' && typeof (value as Resource).resourceType === 'string';
}

/** Reads a search Bundle defensively: keeps well-formed entries, splits matches from includes. */
export function readBundle<T extends Resource>(bundle: unknown, type: string): Page<T> {
  if (!isResource(bundle) || bundle.resourceType !== 'Bundle')
    throw new FhirError('malformed', { detail: 'Expected a Bundle.' });
  const b = bundle as Bundle;
  const resources: T[] = [];
  const included: Resource[] = [];
  for (const entry of Array.isArray(b.entry) ? b.entry : []) {
    const resource = entry?.resource;
    if (!isResource(resource)) continue;
    if (entry.search?.mode === 'include' || resource.resourceType !== type) {
      if (resource.resourceType !== 'OperationOutcome') included.push(resource);
    } else resources.push(resource as T);
  }
  const next = Array.isArray(b.link) ? b.link.find((l) => l?.relation === 'next')?.url : undefined;
  return {
    resources,
    included,
    ...(typeof next === 'string' ? { next } : {}),
    ...(typeof b.total === 'number' ? { total: b.total } : {}),
  };
}

/** One page of a search: `search('Observation', { _count: '50' })`, or the next page by its URL. */
export async function search<T extends Resource>(
  type: string,
  params: Record<string, string> | string,
  signal?: AbortSignal,
): Promise<Page<T>> {
  const path = typeof params === 'string' ? params : searchPath(type, params);
  const { body } = await fhirRequest<Bundle>(path, signal ? { signal } : {});
  return readBundle<T>(body, type);
}

/** Reads one resource by type and id. */
export async function read<T extends Resource>(
  type: string,
  id: string,
  params: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<T> {
  const { body } = await fhirRequest<T>(readPath(type, id, params), signal ? { signal } : {});
  if (body.resourceType !== type) throw new FhirError('malformed', { detail: `Expected a ${type}.` });
  return body;
}
