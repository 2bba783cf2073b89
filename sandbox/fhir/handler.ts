/**
 * The FHIR R4 REST endpoint of the sandbox: bearer tokens, SMART scopes (with
 * granular conditions), the patient compartment, and the profile's
 * behaviour (profiles.ts). Only the interactions the profile's
 * CapabilityStatement lists are answered: read, vread, search and, for
 * Communication, create; PUT, PATCH and DELETE answer 405, anything else 404
 * (history, operations, batches). Searches count, page and include only what
 * the token may see; every refusal is an OperationOutcome.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  deepClone,
  getStatus,
  normalizeOperationOutcome,
  OperationOutcomeError,
  parseSearchRequest,
  validateResource,
  type Filter,
  type SearchRequest,
} from '@medplum/core';
import { getExtraEntries } from '@medplum/fhir-router';
import type {
  Bundle,
  BundleEntry,
  BundleLink,
  Communication,
  OperationOutcome,
  RelatedPerson,
  Resource,
} from '@medplum/fhirtypes';
import { linkAccess } from '../caregivers.ts';
import { BodyTooLarge, readBody, sendJson } from '../http.ts';
import { capabilityStatement, type Interaction, type SandboxProfile } from '../profiles.ts';
import type { Grant, TokenStore } from '../smart/store.ts';
import {
  allows,
  conditions,
  DIRECTORY_TYPES,
  isInCompartment,
  parseScopes,
  PATIENT_SEARCH_PARAM,
  type Permission,
  type ScopeGrants,
} from './access.ts';
import { refuseCommunication } from './communication.ts';
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

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
/** Search parameters about paging and shape, not about what matches. */
const CONTROL = new Set([
  '_count',
  '_offset',
  '_sort',
  '_elements',
  '_include',
  '_summary',
  '_total',
  '_format',
  '_pretty',
]);
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

type IssueCode = NonNullable<OperationOutcome['issue']>[number]['code'];

function outcome(code: IssueCode, text: string, expression?: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, details: { text }, ...(expression ? { expression: [expression] } : {}) }],
  };
}

function sendOutcome(
  res: ServerResponse,
  status: number,
  code: IssueCode,
  text: string,
  headers: Record<string, string> = {},
  expression?: string,
): void {
  sendJson(res, status, outcome(code, text, expression), { 'Content-Type': FHIR_JSON, ...headers });
}

/** Keeps only the named elements (plus id and meta), as `_elements` asks; `value` covers value[x]. */
export function subset(resource: Resource, elements: string[]): Resource {
  const names = elements.map((e) => e.replace(/\[x\]$/, ''));
  const out: Record<string, unknown> = { resourceType: resource.resourceType };
  for (const [key, value] of Object.entries(resource)) {
    const wanted =
      key === 'id' ||
      key === 'meta' ||
      names.some((n) => key === n || (key.startsWith(n) && /^[A-Z]/.test(key.slice(n.length))));
    if (wanted) out[key] = value;
  }
  const meta = (out['meta'] as Resource['meta']) ?? {};
  out['meta'] = {
    ...meta,
    tag: [
      ...(meta.tag ?? []),
      { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' },
    ],
  };
  return out as unknown as Resource;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Who is asking, and what they may see. */
class Access {
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

class Refused extends Error {
  readonly status: number;
  readonly code: IssueCode;
  readonly headers: Record<string, string>;
  readonly expression: string | undefined;
  constructor(
    status: number,
    code: IssueCode,
    text: string,
    headers: Record<string, string> = {},
    expression?: string,
  ) {
    super(text);
    this.status = status;
    this.code = code;
    this.headers = headers;
    this.expression = expression;
  }
}

/** The methods a path answers under this profile (for 405 and Allow). */
function allowedMethods(
  profile: SandboxProfile,
  type: string,
  shape: 'type' | 'search' | 'instance' | 'version',
): string[] {
  const interactions: readonly Interaction[] = profile.resources[type]?.interactions ?? [];
  switch (shape) {
    case 'type':
      return [
        ...(interactions.includes('search-type') ? ['GET'] : []),
        ...(interactions.includes('create') ? ['POST'] : []),
      ];
    case 'search':
      return interactions.includes('search-type') ? ['POST'] : [];
    case 'instance':
      return interactions.includes('read') ? ['GET'] : [];
    case 'version':
      return interactions.includes('vread') ? ['GET'] : [];
  }
}

export async function handleFhir(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: FhirContext,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  try {
    await route(req, res, ctx, path, query);
  } catch (error) {
    if (error instanceof Refused) {
      sendOutcome(res, error.status, error.code, error.message, error.headers, error.expression);
    } else if (error instanceof OperationOutcomeError) {
      // Medplum refused something (a malformed search value, an unknown include): the client's fault.
      const result = error.outcome;
      sendJson(res, Math.max(400, getStatus(result)), result, { 'Content-Type': FHIR_JSON });
    } else {
      throw error;
    }
  }
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: FhirContext,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  const method = req.method ?? 'GET';
  const segments = path.split('/').filter(Boolean);
  const { profile } = ctx;

  if (segments.length === 1 && segments[0] === 'metadata') {
    if (method !== 'GET')
      throw new Refused(405, 'not-supported', `${method} is not supported on /metadata.`, { Allow: 'GET' });
    sendJson(
      res,
      200,
      capabilityStatement(profile, {
        fhirBaseUrl: ctx.baseUrl,
        authorizeUrl: ctx.authorizeUrl,
        tokenUrl: ctx.tokenUrl,
      }),
      { 'Content-Type': FHIR_JSON },
    );
    return;
  }

  // Who is asking.
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
  const access = new Access(checked.grant, ctx, new Set(related.map((r) => `RelatedPerson/${r.id}`)));

  // The base: only the next page of a search (opaque links); no system search, batch or transaction.
  if (segments.length === 0) {
    if (method !== 'GET' || !query.has('_getpages')) {
      if (method !== 'GET')
        throw new Refused(
          405,
          'not-supported',
          'Batches and transactions are not supported here: send each request on its own.',
          { Allow: profile.paging.opaque ? 'GET' : '' },
        );
      throw new Refused(
        404,
        'not-supported',
        'Search a resource type, like Observation?… ; searching every type at once is not supported.',
      );
    }
    const saved = ctx.pages.get(query.get('_getpages') ?? '');
    if (!saved || saved.patientId !== access.patientId || saved.clientId !== access.clientId) {
      throw new Refused(410, 'not-found', 'This page link has expired or is not yours: run the search again.');
    }
    await search(res, ctx, access, saved.type, new URLSearchParams(saved.query), saved.offset, req.url ?? '');
    return;
  }

  const [type = '', id, ...rest] = segments;
  if (!/^[A-Z][A-Za-z]+$/.test(type) || !profile.resources[type]) {
    throw new Refused(
      404,
      'not-supported',
      `This server has no ${/^[A-Za-z]+$/.test(type) ? type : 'such'} endpoint for patients (see /metadata).`,
    );
  }
  const shape =
    id === undefined
      ? 'type'
      : id === '_search' && rest.length === 0
        ? 'search'
        : ID.test(id) && rest.length === 0
          ? 'instance'
          : ID.test(id) && rest.length === 2 && rest[0] === '_history' && ID.test(rest[1] ?? '')
            ? 'version'
            : undefined;
  if (!shape)
    throw new Refused(
      404,
      'not-supported',
      `This is not offered here: no history, operations or compartment searches (see /metadata).`,
    );
  const allow = allowedMethods(profile, type, shape);
  if (!allow.includes(method)) {
    throw new Refused(
      405,
      'not-supported',
      `${method} is not supported on ${shape === 'type' || shape === 'search' ? path : `${type}/[id]`} (allowed: ${allow.join(', ') || 'nothing'}).`,
      { Allow: allow.join(', ') },
    );
  }

  if (shape === 'type' && method === 'GET') return searchRequest(res, ctx, access, type, query, req.url ?? '');
  if (shape === 'search') {
    let body: string;
    try {
      body = await readBody(req, 100_000);
    } catch (error) {
      throw new Refused(error instanceof BodyTooLarge ? 413 : 400, 'too-long', 'The search is too long.');
    }
    const params = new URLSearchParams(query);
    for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
    return searchRequest(res, ctx, access, type, params, req.url ?? '');
  }
  if (shape === 'type' && method === 'POST') return create(req, res, ctx, access, type);
  return read(res, ctx, access, type, id as string, shape === 'version' ? rest[1] : undefined, query);
}

async function read(
  res: ServerResponse,
  ctx: FhirContext,
  access: Access,
  type: string,
  id: string,
  version: string | undefined,
  query: URLSearchParams,
): Promise<void> {
  // SMART's fhirUser scope: the signed-in user may read their own resource (a caregiver her RelatedPerson).
  const self = access.readsSelf && `${type}/${id}` === access.fhirUser && !version;
  if (!self && !allows(access.grants, type, 'r'))
    throw new Refused(403, 'forbidden', `This sign-in was not granted read access to ${type}.`);
  let resource: Resource;
  try {
    resource = version
      ? await ctx.engine.repo.readVersion(type, id, version)
      : await ctx.engine.repo.readResource(type, id);
  } catch {
    throw new Refused(404, 'not-found', `${type}/${id}${version ? ` version ${version}` : ''} was not found.`);
  }
  if (!self && !access.canSee(resource, 'r'))
    throw new Refused(
      403,
      'forbidden',
      `This ${type} does not belong to the signed-in patient, or this sign-in may not read it.`,
    );
  const elements = ctx.profile.elements
    ? query
        .get('_elements')
        ?.split(',')
        .map((e) => e.trim())
        .filter(Boolean)
    : undefined;
  sendJson(res, 200, elements?.length ? subset(resource, elements) : resource, resourceHeaders(ctx, resource));
}

function resourceHeaders(ctx: FhirContext, resource: Resource, created = false): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': FHIR_JSON };
  const version = resource.meta?.versionId;
  if (version) headers['ETag'] = `W/"${version}"`;
  if (resource.meta?.lastUpdated) headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
  if (created)
    headers['Location'] = `${ctx.baseUrl}/${resource.resourceType}/${resource.id}/_history/${version ?? '1'}`;
  return headers;
}

/** Checks a search's parameters against the profile; throws a 400/403 Refused. */
function checkSearch(ctx: FhirContext, access: Access, type: string, params: URLSearchParams): void {
  const { profile } = ctx;
  const support = profile.resources[type];
  if (!support) throw new Refused(404, 'not-supported', `This server has no ${type}.`);
  const keys = [...new Set(params.keys())];
  for (const key of keys) {
    const base = key.split(':')[0] ?? '';
    if (key.includes('.') || base === '_has')
      throw new Refused(400, 'not-supported', `${key}: chained parameters and _has are not supported.`);
    if (base === '_revinclude') throw new Refused(400, 'not-supported', '_revinclude is not supported.');
    if (base === '_offset' && profile.paging.opaque)
      throw new Refused(400, 'not-supported', "_offset is not supported: follow the Bundle's next link.");
    if (base === '_include') {
      if (key !== '_include') throw new Refused(400, 'not-supported', `${key} is not supported.`);
      for (const value of params.getAll(key)) {
        if (!support.include.includes(value)) {
          throw new Refused(
            400,
            'not-supported',
            support.include.length
              ? `_include=${value} is not supported (supported: ${support.include.join(', ')}).`
              : `_include is not supported for ${type}.`,
          );
        }
      }
      continue;
    }
    if (base === '_summary') {
      if (params.getAll(key).some((v) => v !== 'count' && v !== 'false'))
        throw new Refused(400, 'not-supported', '_summary supports only count (and false).');
      continue;
    }
    if (base === '_sort' && profile.sort) {
      for (const field of params.getAll(key).flatMap((v) => v.split(','))) {
        if (!support.searchParams.includes(field.replace(/^-/, '')))
          throw new Refused(
            400,
            'not-supported',
            `_sort=${field}: sorting by ${field.replace(/^-/, '')} is not supported.`,
          );
      }
      continue;
    }
    if (CONTROL.has(base)) continue;
    if (!support.searchParams.includes(base)) {
      throw new Refused(
        400,
        'not-supported',
        `${key} is not a ${type} search parameter this server supports (see /metadata).`,
      );
    }
  }
  for (const group of support.required) {
    if (!keys.some((key) => group.includes(key.split(':')[0] ?? ''))) {
      throw new Refused(400, 'required', `A ${type} search must name ${group.join(' or ')}.`);
    }
  }
  for (const key of keys) {
    const base = key.split(':')[0];
    if (base !== 'subject' && base !== 'patient') continue;
    if (
      params
        .getAll(key)
        .flatMap((v) => v.split(','))
        .some((v) => !access.isMe(v))
    ) {
      throw new Refused(403, 'forbidden', `A patient can search only their own ${type} records.`);
    }
  }
}

function searchRequest(
  res: ServerResponse,
  ctx: FhirContext,
  access: Access,
  type: string,
  params: URLSearchParams,
  requestUrl: string,
): Promise<void> {
  if (!allows(access.grants, type, 's'))
    throw new Refused(403, 'forbidden', `This sign-in was not granted search access to ${type}.`);
  checkSearch(ctx, access, type, params);
  const offset = ctx.profile.paging.opaque ? 0 : Math.max(0, Number.parseInt(params.get('_offset') ?? '', 10) || 0);
  return search(res, ctx, access, type, params, offset, requestUrl);
}

async function search(
  res: ServerResponse,
  ctx: FhirContext,
  access: Access,
  type: string,
  params: URLSearchParams,
  offset: number,
  requestUrl: string,
): Promise<void> {
  const { profile } = ctx;
  const repo = ctx.engine.repo;
  const summaryCount = params.getAll('_summary').includes('count');
  const asked = Number.parseInt(params.get('_count') ?? '', 10);
  const count = summaryCount
    ? 0
    : Math.min(profile.paging.maxCount, Math.max(0, Number.isNaN(asked) ? profile.paging.defaultCount : asked));
  const elements = profile.elements
    ? params
        .get('_elements')
        ?.split(',')
        .map((e) => e.trim())
        .filter(Boolean)
    : undefined;

  // What matches: the client's filters, pinned to the patient, then only what the token may see.
  const filters = new URLSearchParams();
  for (const [key, value] of params) {
    const base = key.split(':')[0] ?? '';
    if ((CONTROL.has(base) && base !== '_sort' && base !== '_include') || (base === '_sort' && !profile.sort)) continue;
    filters.append(key, value);
  }
  const pin = PATIENT_SEARCH_PARAM[type];
  if (pin) {
    filters.delete('patient');
    filters.append(pin, access.patientRef);
  }
  if (type === 'Patient') filters.append('_id', access.patientId);
  const request = parseSearchRequest(`${type}?${filters.toString()}`);
  const { count: _c, offset: _o, include, revInclude: _r, ...matching } = request;
  let visible = (await repo.matches(matching as SearchRequest)).filter((r) => access.canSee(r, 's'));
  // Without _sort support, the server's own order: by id, which says nothing about dates.
  if (!profile.sort) visible = [...visible].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const total = visible.length;
  const page = visible.slice(offset, offset + count);

  const entry: BundleEntry[] = page.map((r) => ({
    fullUrl: `${ctx.baseUrl}/${r.resourceType}/${r.id}`,
    resource: elements?.length ? subset(deepClone(r), elements) : deepClone(r),
    search: { mode: 'match' },
  }));
  if (include?.length && page.length) {
    const extra: BundleEntry[] = [];
    await getExtraEntries(
      repo,
      { resourceType: type, include } as SearchRequest,
      page.map((r) => deepClone(r)),
      extra,
    );
    for (const e of extra) {
      const r = e.resource;
      if (r && access.canSeeIncluded(r))
        entry.push({ fullUrl: `${ctx.baseUrl}/${r.resourceType}/${r.id}`, resource: r, search: { mode: 'include' } });
    }
  }

  const link: BundleLink[] = [];
  if (profile.paging.opaque) {
    link.push({ relation: 'self', url: new URL(requestUrl, ctx.baseUrl).href });
    if (!summaryCount && count > 0 && offset + count < total) {
      const key = ctx.pages.save({
        patientId: access.patientId,
        clientId: access.clientId,
        type,
        query: params.toString(),
        offset: offset + count,
      });
      link.push({ relation: 'next', url: `${ctx.baseUrl}?_getpages=${key}` });
    }
  } else {
    const pageUrl = (at: number) => {
      const q = new URLSearchParams(params);
      q.set('_count', String(count));
      q.set('_offset', String(at));
      return `${ctx.baseUrl}/${type}?${q.toString()}`;
    };
    link.push({ relation: 'self', url: pageUrl(offset) });
    if (!summaryCount && count > 0 && offset + count < total)
      link.push({ relation: 'next', url: pageUrl(offset + count) });
    if (!summaryCount && count > 0 && offset > 0)
      link.push({ relation: 'previous', url: pageUrl(Math.max(0, offset - count)) });
  }
  if (profile.searchLatencyMs) await sleep(profile.searchLatencyMs);
  const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', total, link, ...(summaryCount ? {} : { entry }) };
  sendJson(res, 200, bundle, { 'Content-Type': FHIR_JSON });
}

/** Conditional creates one at a time, so two retries of one message cannot both create it. */
let creating: Promise<unknown> = Promise.resolve();

async function create(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: FhirContext,
  access: Access,
  type: string,
): Promise<void> {
  if (!allows(access.grants, type, 'c'))
    throw new Refused(403, 'forbidden', `This sign-in was not granted create access to ${type}.`);
  let text: string;
  try {
    text = await readBody(req);
  } catch (error) {
    throw new Refused(error instanceof BodyTooLarge ? 413 : 400, 'too-long', 'The request body is too large.');
  }
  let body: Resource;
  try {
    body = JSON.parse(text) as Resource;
  } catch {
    throw new Refused(400, 'structure', 'The request body is not valid JSON.');
  }
  if (body?.resourceType !== type) throw new Refused(400, 'invalid', `The body must be a ${type}.`);
  // The server names what it creates: a client's id or meta is not used.
  const { id: _id, meta: _meta, ...fresh } = body as Resource & Record<string, unknown>;
  const resource = fresh as unknown as Resource;
  try {
    validateResource(resource);
  } catch (error) {
    sendJson(res, 400, normalizeOperationOutcome(error), { 'Content-Type': FHIR_JSON });
    return;
  }
  if (type === 'Communication') {
    const refusal = await refuseCommunication(resource as Communication, {
      repo: ctx.engine.repo,
      patientId: access.patientId,
      fhirUser: access.fhirUser,
      helpers: access.helpers,
      defaultRecipients: ctx.defaultRecipients,
      baseUrl: ctx.baseUrl,
    });
    if (refusal)
      throw new Refused(
        refusal.status,
        refusal.status === 403 ? 'forbidden' : 'business-rule',
        refusal.text,
        {},
        refusal.expression,
      );
  }
  if (!access.canSee(resource, 'c'))
    throw new Refused(
      403,
      'forbidden',
      `This ${type} does not belong to the signed-in patient, or this sign-in may not create it.`,
    );

  const condition = String(req.headers['if-none-exist'] ?? '');
  const run = async (): Promise<void> => {
    if (condition) {
      const params = new URLSearchParams(condition);
      checkSearch(ctx, access, type, params);
      const request = parseSearchRequest(`${type}?${params.toString()}`);
      // Only inside the compartment: another patient's resource is neither revealed nor reused.
      const found = (
        await ctx.engine.repo.matches({
          resourceType: type,
          ...(request.filters ? { filters: request.filters } : {}),
        } as SearchRequest)
      ).filter((r) => access.canSee(r, 'r'));
      if (found.length > 1)
        throw new Refused(412, 'duplicate', `If-None-Exist matches ${found.length} of your ${type} resources.`);
      const existing = found[0];
      if (existing) {
        sendJson(res, 200, existing, resourceHeaders(ctx, existing));
        return;
      }
    }
    const made = await ctx.engine.repo.createResource(resource);
    sendJson(res, 201, made, resourceHeaders(ctx, made, true));
  };
  const next = creating.then(run, run);
  creating = next.catch(() => undefined);
  await next;
}
