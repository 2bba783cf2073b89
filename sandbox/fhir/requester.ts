/**
 * Who is asking the sandbox's FHIR endpoint, and what they may see: the
 * bearer token checked (and rate-limited when the profile says so), a
 * caregiver's access still running, the scopes and the patient's
 * compartment.
 */
import type { IncomingMessage } from 'node:http';
import { parseSearchRequest, type Filter } from '@medplum/core';
import type { RelatedPerson, Resource } from '@medplum/fhirtypes';
import { linkAccess } from '../caregivers.ts';
import type { Grant } from '../smart/store.ts';
import {
  conditions,
  DIRECTORY_TYPES,
  isInCompartment,
  parseScopes,
  type Permission,
  type ScopeGrants,
} from './access.ts';
import type { FhirContext } from './context.ts';
import { Refused } from './outcome.ts';

/** Who is asking, and what they may see. */
export class Access {
  readonly patientId: string;
  readonly patientRef: string;
  readonly fhirUser: string;
  readonly clientId: string;
  readonly grants: ScopeGrants;
  /** The patient's RelatedPersons (`RelatedPerson/<id>`): their messages about the patient are the patient's too. */
  readonly helpers: ReadonlySet<string>;
  /** `fhirUser` was granted: the signed-in user may read their own resource (a caregiver her RelatedPerson). */
  readonly readsSelf: boolean;
  private readonly ctx: FhirContext;
  private readonly parsed = new Map<string, Filter[]>();

  constructor(grant: Grant, ctx: FhirContext, helpers: ReadonlySet<string>) {
    this.patientId = grant.patientId;
    this.patientRef = `Patient/${grant.patientId}`;
    this.fhirUser = grant.fhirUser ?? this.patientRef;
    this.clientId = grant.clientId;
    this.grants = parseScopes(grant.scope);
    this.readsSelf = grant.scope.split(' ').includes('fhirUser');
    this.helpers = helpers;
    this.ctx = ctx;
  }

  /** In the patient's compartment, and within the scopes' conditions for this permission. */
  canSee(resource: Resource, permission: Permission): boolean {
    if (!isInCompartment(resource, this.patientId, this.helpers)) return false;
    const queries = conditions(this.grants, resource.resourceType, permission);
    if (!queries) return true;
    return queries.some((query) => {
      let filters = this.parsed.get(`${resource.resourceType}?${query}`);
      if (!filters) {
        filters = parseSearchRequest(`${resource.resourceType}?${query}`).filters ?? [];
        this.parsed.set(`${resource.resourceType}?${query}`, filters);
      }
      return this.ctx.engine.repo.matchesFilters(resource, filters);
    });
  }

  /** Included with a search: the patient's own (read or search granted), or the clinic's directory. */
  canSeeIncluded(resource: Resource): boolean {
    return DIRECTORY_TYPES.has(resource.resourceType) || this.canSee(resource, 'r') || this.canSee(resource, 's');
  }

  /** Is this value of `subject` or `patient` the signed-in patient (`Patient/<id>`, `<id>`, or absolute)? */
  isMe(value: string): boolean {
    const relative = value.startsWith(`${this.ctx.baseUrl}/`) ? value.slice(this.ctx.baseUrl.length + 1) : value;
    return relative === this.patientRef || relative === this.patientId;
  }
}

/** The requester of `req`, or a 401, 403 or 429 Refused. */
export async function authenticate(req: IncomingMessage, ctx: FhirContext): Promise<Access> {
  const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const checked = ctx.store.check(token);
  if ('problem' in checked) {
    const text = {
      missing: 'Sign in first: this request has no access token.',
      invalid: 'The access token is not valid.',
      expired: 'The access token has expired. Sign in again.',
    }[checked.problem];
    throw new Refused(401, checked.problem === 'expired' ? 'expired' : 'login', text, {
      'WWW-Authenticate': `Bearer realm="clara-sandbox", error="invalid_token", error_description="${text}"`,
    });
  }
  if (ctx.limiter) {
    const wait = ctx.limiter.take(token as string);
    if (wait > 0) {
      const seconds = Math.max(1, Math.ceil(wait));
      throw new Refused(429, 'throttled', `Too many requests: try again in ${seconds} s.`, {
        'Retry-After': String(seconds),
      });
    }
  }
  const patientRef = `Patient/${checked.grant.patientId}`;
  const related = (await ctx.engine.repo.matches<RelatedPerson>({ resourceType: 'RelatedPerson' })).filter(
    (r) => r.patient?.reference === patientRef,
  );
  // A caregiver's token works only while her access lasts (it may end, or be switched off, mid-session).
  const fhirUser = checked.grant.fhirUser ?? patientRef;
  if (fhirUser.startsWith('RelatedPerson/')) {
    const self = related.find((r) => `RelatedPerson/${r.id}` === fhirUser);
    if (!self || linkAccess(self, new Date()) !== 'active') {
      throw new Refused(403, 'forbidden', `The access of ${fhirUser} to ${patientRef}'s records has ended.`);
    }
  }
  return new Access(checked.grant, ctx, new Set(related.map((r) => `RelatedPerson/${r.id}`)));
}
