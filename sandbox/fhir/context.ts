/**
 * What the sandbox's FHIR endpoint works with (handler.ts and the files it
 * hands each kind of request to: read, search, create, requester): the
 * engine, the tokens, its public addresses and the profile it plays.
 */
import type { SandboxProfile } from '../profiles.ts';
import type { TokenStore } from '../smart/store.ts';
import type { Engine } from './engine.ts';
import type { PageLinks } from './page-links.ts';
import type { RateLimiter } from './rate-limit.ts';

export interface FhirContext {
  engine: Engine;
  store: TokenStore;
  /** Public base URL, e.g. http://localhost:4322/fhir/R4 */
  baseUrl: string;
  /** SMART endpoints, for the CapabilityStatement. */
  authorizeUrl: string;
  tokenUrl: string;
  profile: SandboxProfile;
  /** The clinic's default recipients: a patient may always write to them. */
  defaultRecipients: readonly string[];
  /** Per access token, when the profile limits the rate. */
  limiter?: RateLimiter;
  /** Opaque next links, when the profile hands them out. */
  pages: PageLinks;
}
