/**
 * SMART App Launch v2, standalone patient launch, as a public client with
 * PKCE S256, using oauth4webapi for the standard parts (authorization
 * response validation, token requests and responses).
 *
 * This module is loaded only where it is needed: the sign-in page, and data
 * pages when a token must be refreshed (a dynamic import), so it costs the
 * other pages nothing.
 */
import * as oauth from 'oauth4webapi';
import { clearSession, getSession, saveSession, type Session } from './session.ts';
import { timeoutSignal } from '../signals.ts';
import { activity } from './activity.ts';

export interface SmartSettings {
  issuer: string;
  clientId: string;
  fhirBaseUrl: string;
  offlineAccess: boolean;
  timeoutMs: number;
}

/**
 * The smallest scopes Clara needs (design.md, "Sign-in"). A refresh token
 * (`offline_access`) only on the patient's own device: on a shared or public
 * one, the sign-in ends with its access token.
 */
export function scopesFor(
  settings: Pick<SmartSettings, 'offlineAccess'>,
  device: 'own' | 'shared' | undefined,
): string {
  return [
    'openid',
    'fhirUser',
    'launch/patient',
    ...(settings.offlineAccess && device === 'own' ? ['offline_access'] : []),
    'patient/Patient.rs',
    'patient/Observation.rs',
    'patient/DiagnosticReport.rs',
    'patient/Communication.crs',
    'patient/CareTeam.rs',
    // The patient's caregivers, to name them on their messages ("Lucía (daughter) for Adán").
    'patient/RelatedPerson.rs',
  ].join(' ');
}

export type SignInErrorKind =
  'no-pkce' | 'discovery' | 'setup' | 'offline' | 'timeout' | 'denied' | 'state' | 'exchange';

export class SignInError extends Error {
  readonly kind: SignInErrorKind;
  constructor(kind: SignInErrorKind, message: string) {
    super(message);
    this.kind = kind;
    this.name = 'SignInError';
  }
}

interface Pending {
  state: string;
  verifier: string;
  returnTo: string;
  redirectUri: string;
  server: oauth.AuthorizationServer;
  createdAt: number;
}

const PENDING_KEY = 'clara.signin';

/** URL-safe random text from crypto.getRandomValues: `bytes` × 8 bits. */
export function randomToken(bytes = 32): string {
  const data = crypto.getRandomValues(new Uint8Array(bytes));
  let text = '';
  for (const byte of data) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function isLocalHttp(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(hostname);
}

function secureOrLocal(url: unknown): url is string {
  if (typeof url !== 'string') return false;
  try {
    return new URL(url).protocol === 'https:' || isLocalHttp(url);
  } catch {
    return false;
  }
}

function withTimeout(ms: number): AbortSignal {
  return timeoutSignal(ms);
}

function networkError(error: unknown): SignInError {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new SignInError('timeout', 'The clinic took too long to answer.');
  }
  return new SignInError('offline', 'The clinic could not be reached.');
}

/**
 * The SMART endpoints Clara calls from the page. (The authorization endpoint
 * is a navigation, which the Content-Security-Policy does not govern.)
 */
export const CALLED_ENDPOINTS = ['token_endpoint', 'revocation_endpoint'] as const;

/**
 * The origins a policy's connect-src (else default-src) allows, with 'self'
 * as `self`; undefined when there is no policy or it allows more than a
 * list of origins (a wildcard or a bare scheme), so nothing can be told.
 */
export function connectOrigins(policy: string | undefined, self: string): Set<string> | undefined {
  if (!policy) return undefined;
  const directives = new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name = '', ...values]) => [name.toLowerCase(), values]),
  );
  const sources = directives.get('connect-src') ?? directives.get('default-src');
  if (!sources) return undefined;
  const origins = new Set<string>();
  for (const source of sources) {
    if (source === "'self'") origins.add(self);
    else if (source === "'none'") continue;
    else if (source.includes('*') || source.endsWith(':')) return undefined;
    else {
      try {
        origins.add(new URL(source).origin);
      } catch {
        return undefined;
      }
    }
  }
  return origins;
}

/** The endpoints of a SMART configuration that Clara calls but the page may not connect to. */
export function endpointsOutside(
  config: Record<string, unknown>,
  allowed: Set<string>,
): { endpoint: string; origin: string }[] {
  return CALLED_ENDPOINTS.flatMap((endpoint) => {
    const url = config[endpoint];
    if (typeof url !== 'string') return [];
    try {
      const { origin } = new URL(url);
      return allowed.has(origin) ? [] : [{ endpoint, origin }];
    } catch {
      return [];
    }
  });
}

/**
 * Stops sign-in before the browser would block it without a word: when the
 * server's endpoints are on an origin this build's policy does not allow.
 * The patient is told to call the clinic; the console tells the clinic's
 * administrator what to add (docs/deploy.md).
 */
function checkEndpointOrigins(config: Record<string, unknown>): void {
  const policy = globalThis.document?.querySelector?.<HTMLMetaElement>(
    'meta[http-equiv="content-security-policy"]',
  )?.content;
  const allowed = connectOrigins(policy, globalThis.location?.origin ?? '');
  const outside = allowed ? endpointsOutside(config, allowed) : [];
  if (outside.length === 0) return;
  for (const { endpoint, origin } of outside) {
    console.error(
      `Clara cannot sign in: this clinic's SMART configuration puts its ${endpoint} on ${origin}, which this build's connect-src does not list, so the browser would block it. ` +
        `Add "${origin}" to smart.endpointOrigins in the clinic configuration, build Clara again and deploy it (docs/deploy.md, "Sign-in endpoints on another origin").`,
    );
  }
  throw new SignInError(
    'setup',
    `The SMART server's ${outside.map((o) => o.endpoint).join(' and ')} is on an origin Clara may not connect to.`,
  );
}

/**
 * Reads the server's SMART configuration and refuses a server that does not
 * offer PKCE with S256, or whose endpoints this build may not reach.
 */
export async function discover(settings: SmartSettings): Promise<oauth.AuthorizationServer> {
  let response: Response;
  try {
    response = await fetch(`${settings.issuer.replace(/\/$/, '')}/.well-known/smart-configuration`, {
      headers: { Accept: 'application/json' },
      signal: withTimeout(settings.timeoutMs),
    });
  } catch (error) {
    throw networkError(error);
  }
  let config: Record<string, unknown>;
  try {
    if (!response.ok) throw new Error(String(response.status));
    config = (await response.json()) as Record<string, unknown>;
  } catch {
    throw new SignInError('discovery', "The clinic's sign-in settings could not be read.");
  }
  const methods = config['code_challenge_methods_supported'];
  if (!Array.isArray(methods) || !methods.includes('S256')) {
    throw new SignInError(
      'no-pkce',
      "The clinic's sign-in server does not offer PKCE with S256, so Clara will not use it.",
    );
  }
  if (!secureOrLocal(config['authorization_endpoint']) || !secureOrLocal(config['token_endpoint'])) {
    throw new SignInError('discovery', "The clinic's sign-in settings are incomplete.");
  }
  checkEndpointOrigins(config);
  const revocation = config['revocation_endpoint'];
  return {
    issuer: typeof config['issuer'] === 'string' ? config['issuer'] : settings.issuer,
    authorization_endpoint: config['authorization_endpoint'],
    token_endpoint: config['token_endpoint'],
    ...(secureOrLocal(revocation) ? { revocation_endpoint: revocation } : {}),
    code_challenge_methods_supported: ['S256'],
  };
}

/** Starts sign-in: remembers what is needed to finish it, then goes to the clinic's sign-in page. */
export async function startSignIn(
  settings: SmartSettings,
  options: { lang: string; redirectUri: string; returnTo: string; device: 'own' | 'shared' | undefined },
): Promise<void> {
  const server = await discover(settings);
  const verifier = oauth.generateRandomCodeVerifier();
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  const state = randomToken(32);
  const pending: Pending = {
    state,
    verifier,
    returnTo: options.returnTo,
    redirectUri: options.redirectUri,
    server,
    createdAt: Date.now(),
  };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(server.authorization_endpoint as string);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: options.redirectUri,
    scope: scopesFor(settings, options.device),
    state,
    aud: settings.fhirBaseUrl,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ui_locales: options.lang,
  };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  location.assign(url.href);
}

/** True when this page was reached by the clinic's sign-in page sending the patient back. */
export function isCallback(url: URL): boolean {
  return url.searchParams.has('state') && (url.searchParams.has('code') || url.searchParams.has('error'));
}

function tokenOptions(server: oauth.AuthorizationServer, timeoutMs: number) {
  // oauth4webapi refuses plain http; the sandbox on localhost is the one exception Clara allows.
  return {
    signal: withTimeout(timeoutMs),
    ...(isLocalHttp(server.token_endpoint as string) ? { [oauth.allowInsecureRequests]: true } : {}),
  };
}

function toSession(
  result: oauth.TokenEndpointResponse,
  settings: SmartSettings,
  server: oauth.AuthorizationServer,
  previous?: Session,
): Session {
  const patient = typeof result['patient'] === 'string' ? result['patient'] : previous?.patientId;
  if (!patient) throw new SignInError('exchange', 'The clinic did not say which patient signed in.');
  const revocation =
    typeof server.revocation_endpoint === 'string' ? server.revocation_endpoint : previous?.revocationEndpoint;
  // Who signed in: SMART v2 puts fhirUser in the id_token (oauth4webapi has checked its iss, aud and times).
  const claims = oauth.getValidatedIdTokenClaims(result);
  const fhirUser = userReference(claims?.['fhirUser']) ?? userReference(result['fhirUser']) ?? previous?.fhirUser;
  const user = typeof claims?.sub === 'string' ? claims.sub : previous?.user;
  return {
    accessToken: result.access_token,
    ...(result.refresh_token
      ? { refreshToken: result.refresh_token }
      : previous?.refreshToken
        ? { refreshToken: previous.refreshToken }
        : {}),
    expiresAt: Date.now() + (result.expires_in ?? 300) * 1000,
    scope: result.scope ?? previous?.scope ?? '',
    patientId: patient,
    fhirBaseUrl: settings.fhirBaseUrl,
    tokenEndpoint: server.token_endpoint as string,
    ...(revocation ? { revocationEndpoint: revocation } : {}),
    issuer: server.issuer,
    clientId: settings.clientId,
    ...(fhirUser ? { fhirUser } : {}),
    ...(user ? { user } : {}),
    ...(previous?.caregiver && previous.patientId === patient ? { caregiver: previous.caregiver } : {}),
  };
}

/** `Type/id` of a fhirUser claim (absolute, as SMART writes it, or relative). */
export function userReference(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /(?:^|\/)((?:Patient|RelatedPerson|Practitioner|PractitionerRole|Person)\/[A-Za-z0-9\-.]{1,64})$/.exec(
    value,
  );
  return match?.[1];
}

/** What one sign-in kept for its patient in this tab (the care team, the patient's details, the unread count): a new sign-in starts afresh. */
const PER_SIGN_IN = ['clara.careTeam', 'clara.patientContext', 'clara.unread', 'clara.helpers'];

/**
 * Finishes sign-in on the redirect page: checks `state`, exchanges the code
 * with the PKCE verifier, and keeps the session. Returns where to go next.
 */
export async function completeSignIn(settings: SmartSettings, url: URL): Promise<string> {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const pending = raw ? (JSON.parse(raw) as Pending) : undefined;
  if (!pending || Date.now() - pending.createdAt > 15 * 60_000) {
    throw new SignInError('state', 'This sign-in was not started here, or it is too old.');
  }
  if (url.searchParams.get('error') === 'access_denied') throw new SignInError('denied', 'Sign-in was cancelled.');
  const client: oauth.Client = { client_id: settings.clientId };
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(pending.server, client, url, pending.state);
  } catch (error) {
    const code = (error as { error?: string }).error;
    throw new SignInError(code === 'access_denied' ? 'denied' : 'state', (error as Error).message);
  }
  let response: Response;
  try {
    response = await oauth.authorizationCodeGrantRequest(
      pending.server,
      client,
      oauth.None(),
      params,
      pending.redirectUri,
      pending.verifier,
      tokenOptions(pending.server, settings.timeoutMs),
    );
  } catch (error) {
    throw networkError(error);
  }
  let result: oauth.TokenEndpointResponse;
  try {
    result = await oauth.processAuthorizationCodeResponse(pending.server, client, response);
  } catch (error) {
    throw new SignInError('exchange', (error as Error).message);
  }
  for (const key of PER_SIGN_IN) sessionStorage.removeItem(key);
  saveSession(toSession(result, settings, pending.server));
  return pending.returnTo;
}

let refreshing: Promise<Session | null> | undefined;

/**
 * Gets a new access token with the refresh token. One refresh at a time: a
 * second caller waits for the first. Resolves null (and forgets the session)
 * when the session cannot be renewed; the patient must sign in again.
 */
export function refreshSession(settings: SmartSettings): Promise<Session | null> {
  refreshing ??= (async () => {
    const session = getSession();
    if (!session?.refreshToken) {
      clearSession();
      return null;
    }
    // An unattended tab does not renew its sign-in: the time limit ends it (auth/guard.ts).
    if (activity.over()) {
      dispatchEvent(new Event('clara:idle'));
      throw new SignInError('offline', 'Not renewed: Clara was not used for a while.');
    }
    const server: oauth.AuthorizationServer = { issuer: session.issuer, token_endpoint: session.tokenEndpoint };
    const client: oauth.Client = { client_id: session.clientId };
    try {
      const response = await oauth.refreshTokenGrantRequest(
        server,
        client,
        oauth.None(),
        session.refreshToken,
        tokenOptions(server, settings.timeoutMs),
      );
      const result = await oauth.processRefreshTokenResponse(server, client, response);
      const next = toSession(result, settings, server, session);
      saveSession(next);
      return next;
    } catch (error) {
      // Offline or slow: keep the session to try later. Refused: it is over.
      if (error instanceof TypeError || (error instanceof DOMException && error.name === 'TimeoutError'))
        throw networkError(error);
      clearSession();
      return null;
    }
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}
