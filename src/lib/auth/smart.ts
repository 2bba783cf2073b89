/**
 * SMART App Launch v2, standalone patient launch, as a public client with
 * PKCE S256, using oauth4webapi for the standard parts (authorization
 * response validation, token requests and responses).
 *
 * This module (with discovery.ts, which finds the clinic's server, and
 * sign-in-error.ts) is loaded only where it is needed: the sign-in page, and
 * data pages when a token must be refreshed (a dynamic import), so it costs
 * the other pages nothing.
 */
import { clearSession, getSession, saveSession, type Session } from './session.ts';
import { timeoutSignal } from '../signals.ts';
import { activity } from './activity.ts';
import { discover, isLocalHttp } from './discovery.ts';
import { SignInError, networkError } from './sign-in-error.ts';
import { PER_SIGN_IN, SIGN_IN } from '../storage-keys.ts';
import type { SmartSettings } from '../settings.ts';
// Last: the bundler lays the sign-in file out in import order, and this one compresses smallest.
import * as oauth from 'oauth4webapi';

/**
 * The smallest scopes Clara needs (README, "Registering Clara with the EHR").
 * A refresh token (`offline_access`) only on the patient's own device: on a
 * shared or public one, the sign-in ends with its access token.
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

interface Pending {
  state: string;
  verifier: string;
  returnTo: string;
  redirectUri: string;
  server: oauth.AuthorizationServer;
  createdAt: number;
}

/** URL-safe random text from crypto.getRandomValues: `bytes` × 8 bits. */
export function randomToken(bytes = 32): string {
  const data = crypto.getRandomValues(new Uint8Array(bytes));
  let text = '';
  for (const byte of data) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
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
  sessionStorage.setItem(SIGN_IN, JSON.stringify(pending));
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
    signal: timeoutSignal(timeoutMs),
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

/**
 * Finishes sign-in on the redirect page: checks `state`, exchanges the code
 * with the PKCE verifier, and keeps the session. Returns where to go next.
 */
export async function completeSignIn(settings: SmartSettings, url: URL): Promise<string> {
  const raw = sessionStorage.getItem(SIGN_IN);
  sessionStorage.removeItem(SIGN_IN);
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
