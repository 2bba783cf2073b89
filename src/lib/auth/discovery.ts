/**
 * Finding the clinic's sign-in server: reads its SMART configuration and
 * refuses a server Clara will not use (no PKCE with S256, endpoints that are
 * not https, or on an origin this build's Content-Security-Policy does not
 * let the page connect to). Loaded with the rest of sign-in (smart.ts).
 */
import type * as oauth from 'oauth4webapi';
import { timeoutSignal } from '../signals.ts';
import { SignInError, networkError } from './sign-in-error.ts';
import type { SmartSettings } from '../settings.ts';

/** True for plain http on this machine (the sandbox): the one insecure address Clara accepts. */
export function isLocalHttp(url: string): boolean {
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
 */ export async function discover(
  settings: Pick<SmartSettings, 'issuer' | 'timeoutMs'>,
): Promise<oauth.AuthorizationServer> {
  let response: Response;
  try {
    response = await fetch(`${settings.issuer.replace(/\/$/, '')}/.well-known/smart-configuration`, {
      headers: { Accept: 'application/json' },
      signal: timeoutSignal(settings.timeoutMs),
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
