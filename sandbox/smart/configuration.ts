/**
 * What the sandbox's SMART authorization server is (v2, standalone patient
 * launch, public clients, PKCE S256 only): its context, its
 * `.well-known/smart-configuration`, and the scopes it grants. The endpoints
 * are beside it: the authorize page (authorize.ts, authorize-pages.ts), the
 * token and revocation endpoints (token.ts), the signing key (keys.ts).
 */
import { grantResourceScope } from '../fhir/access.ts';
import { scopesSupported, smartCapabilities } from '../capabilities.ts';
import { supportedPermissions, type SandboxProfile } from '../profiles.ts';
import type { Caregiver } from '../caregivers.ts';
import type { TokenStore } from './store.ts';

export interface SamplePatient {
  id: string;
  name: string;
  birthDate?: string;
  /** Preferred language code as recorded (es, en-US, de-DE …). */
  language?: string;
  /** As recorded (male, female, other, unknown): picks "father" or "mother" on the caregiver list. */
  gender?: string;
  results: number;
}

export interface RegisteredClient {
  clientId: string;
  redirectUris: string[];
}

export interface SmartContext {
  store: TokenStore;
  /** Public origin of the sandbox, e.g. http://localhost:4322 */
  origin: string;
  /** FHIR base URL; also the SMART issuer and the expected `aud`. */
  fhirBaseUrl: string;
  clinicName: string;
  clients: RegisteredClient[];
  patients: () => SamplePatient[];
  /** The caregivers, with what each may do now (caregivers.ts). */
  caregivers: () => Caregiver[];
  /** Origins the authorize form may redirect to (CSP form-action). */
  portalOrigins: string[];
  /** What the server supports: scopes_supported, capabilities, refresh tokens, the patient banner. */
  profile: SandboxProfile;
}

export /** The launch and identity scopes this server grants (offline_access only where the profile gives refresh tokens). */
function basicScopes(profile: SandboxProfile): Set<string> {
  return new Set(['openid', 'fhirUser', 'launch/patient', ...(profile.offlineAccess ? ['offline_access'] : [])]);
}

/**
 * The resource scopes a request can be granted, one per type (wildcards
 * expanded): what was asked ∩ what the profile supports ∩ what a patient may
 * do (read and search; create Communication). The authorize page offers
 * exactly these, and the token's `scope` lists those the patient allowed.
 */
export function grantableScopes(requested: readonly string[], profile: SandboxProfile): string[] {
  const types = Object.keys(profile.resources);
  const out = requested.flatMap((scope) =>
    grantResourceScope(
      scope,
      types,
      (type) => supportedPermissions(profile, type),
      (type, code) => !!profile.resources[type]?.searchParams.includes(code),
    ),
  );
  return [...new Set(out)];
}

export function smartConfiguration(ctx: SmartContext): Record<string, unknown> {
  return {
    issuer: ctx.fhirBaseUrl,
    jwks_uri: `${ctx.origin}/auth/jwks`,
    authorization_endpoint: `${ctx.origin}/auth/authorize`,
    token_endpoint: `${ctx.origin}/auth/token`,
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint: `${ctx.origin}/auth/revoke`,
    revocation_endpoint_auth_methods_supported: ['none'],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    grant_types_supported: ctx.profile.offlineAccess ? ['authorization_code', 'refresh_token'] : ['authorization_code'],
    scopes_supported: scopesSupported(ctx.profile),
    capabilities: smartCapabilities(ctx.profile),
  };
}
