/**
 * The FHIR R4 REST endpoint of the sandbox, in front of Medplum's router:
 * bearer tokens, SMART scopes, the patient compartment, `_elements`, paging
 * links (`Bundle.link[next]`), and OperationOutcome for every refusal.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getStatus, isOperationOutcome, normalizeOperationOutcome, validateResource } from '@medplum/core';
import type { Bundle, BundleEntry, CapabilityStatement, OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { FhirRequest } from '@medplum/fhir-router';
import { BodyTooLarge, readBody, sendJson } from '../http.ts';
import type { TokenStore } from '../smart/store.ts';
import { allows, DIRECTORY_TYPES, isInCompartment, parseScopes, PATIENT_SEARCH_PARAM, type Permission } from './access.ts';
import type { Engine } from './engine.ts';

export interface FhirContext {
  engine: Engine;
  store: TokenStore;
  /** Public base URL, e.g. http://localhost:4322/fhir/R4 */
  baseUrl: string;
  /** SMART endpoints, for the CapabilityStatement. */
  authorizeUrl: string;
  tokenUrl: string;
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const DEFAULT_COUNT = 20;
const MAX_COUNT = 1000;

function outcome(code: string, text: string, severity: 'error' | 'information' = 'error'): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code: code as 'forbidden', details: { text } }] };
}

function sendOutcome(res: ServerResponse, status: number, code: string, text: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, outcome(code, text), { 'Content-Type': FHIR_JSON, ...headers });
}

/** Keeps only the named elements (plus id and meta), as `_elements` asks; `value` covers value[x]. */
export function subset(resource: Resource, elements: string[]): Resource {
  const names = elements.map((e) => e.replace(/\[x\]$/, ''));
  const out: Record<string, unknown> = { resourceType: resource.resourceType };
  for (const [key, value] of Object.entries(resource)) {
    const wanted =
      key === 'id' || key === 'meta' ||
      names.some((n) => key === n || (key.startsWith(n) && /^[A-Z]/.test(key.slice(n.length))));
    if (wanted) out[key] = value;
  }
  const meta = (out['meta'] as Resource['meta']) ?? {};
  out['meta'] = { ...meta, tag: [...(meta.tag ?? []), { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' }] };
  return out as unknown as Resource;
}

function capabilityStatement(ctx: FhirContext): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    implementation: { description: 'Clara sandbox EHR', url: ctx.baseUrl },
    rest: [
      {
        mode: 'server',
        security: {
          service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'authorize', valueUri: ctx.authorizeUrl },
                { url: 'token', valueUri: ctx.tokenUrl },
              ],
            },
          ],
        },
        resource: ['Patient', 'Observation', 'DiagnosticReport', 'Communication', 'CareTeam'].map((type) => ({
          type,
          interaction: [{ code: 'read' }, { code: 'search-type' }, ...(type === 'Communication' ? [{ code: 'create' as const }] : [])],
        })),
      },
    ],
  } as CapabilityStatement;
}

export async function handleFhir(req: IncomingMessage, res: ServerResponse, ctx: FhirContext, path: string, query: URLSearchParams): Promise<void> {
  const method = req.method ?? 'GET';
  const segments = path.split('/').filter(Boolean);

  if (method === 'GET' && segments.length === 1 && segments[0] === 'metadata') {
    sendJson(res, 200, capabilityStatement(ctx), { 'Content-Type': FHIR_JSON });
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
    sendOutcome(res, 401, checked.problem === 'expired' ? 'expired' : 'login', text, {
      'WWW-Authenticate': `Bearer realm="clara-sandbox", error="invalid_token", error_description="${text}"`,
    });
    return;
  }
  const { patientId, scope } = checked.grant;
  const grants = parseScopes(scope);
  const patientRef = `Patient/${patientId}`;

  // What is asked.
  const [type = '', id, ...rest] = segments;
  if (!/^[A-Z][A-Za-z]+$/.test(type)) {
    sendOutcome(res, 403, 'forbidden', 'A patient can use only resource-level requests, like Observation?… .');
    return;
  }
  const isSearch = (method === 'GET' && !id) || (method === 'POST' && id === '_search');
  const permission: Permission | undefined = isSearch
    ? 's'
    : method === 'GET' ? 'r'
    : method === 'POST' && !id ? 'c'
    : method === 'PUT' || method === 'PATCH' ? 'u'
    : method === 'DELETE' ? 'd'
    : undefined;
  if (!permission) {
    sendOutcome(res, 405, 'not-supported', `${method} is not supported here.`);
    return;
  }
  if (!allows(grants, type, permission)) {
    sendOutcome(res, 403, 'forbidden', `This sign-in was not granted ${isSearch ? 'search' : permission === 'r' ? 'read' : 'write'} access to ${type}.`);
    return;
  }

  let body: Resource | undefined;
  if (method === 'POST' || method === 'PUT') {
    let text: string;
    try {
      text = await readBody(req);
    } catch (error) {
      sendOutcome(res, error instanceof BodyTooLarge ? 413 : 400, 'too-long', 'The request body is too large.');
      return;
    }
    if (isSearch) {
      for (const [k, v] of new URLSearchParams(text)) query.append(k, v);
    } else {
      try {
        body = JSON.parse(text) as Resource;
      } catch {
        sendOutcome(res, 400, 'structure', 'The request body is not valid JSON.');
        return;
      }
      if (body?.resourceType !== type) {
        sendOutcome(res, 400, 'invalid', `The body must be a ${type}.`);
        return;
      }
      const sender = (body as { sender?: { reference?: string } }).sender?.reference;
      if (type === 'Communication' && sender !== patientRef) {
        sendOutcome(res, 403, 'forbidden', 'A patient can only send a message as its sender.');
        return;
      }
      if (!isInCompartment(body, patientId)) {
        sendOutcome(res, 403, 'forbidden', `This ${type} does not belong to the signed-in patient.`);
        return;
      }
      try {
        validateResource(body);
      } catch (error) {
        sendJson(res, 400, normalizeOperationOutcome(error), { 'Content-Type': FHIR_JSON });
        return;
      }
      const subjectRef = (body as { subject?: { reference?: string } }).subject?.reference;
      if (subjectRef && subjectRef !== patientRef) {
        sendOutcome(res, 403, 'forbidden', 'The subject must be the signed-in patient.');
        return;
      }
    }
  }

  // Searches are pinned to the patient.
  let elements: string[] | undefined;
  let count = DEFAULT_COUNT;
  let offset = 0;
  if (isSearch) {
    const pin = PATIENT_SEARCH_PARAM[type];
    for (const key of ['subject', 'patient']) {
      for (const value of query.getAll(key)) {
        if (value !== patientRef && value !== patientId) {
          sendOutcome(res, 403, 'forbidden', `A patient can search only their own ${type} records.`);
          return;
        }
      }
    }
    if (pin) {
      query.delete('patient');
      query.set(pin, patientRef);
    }
    if (type === 'Patient') query.set('_id', patientId);
    elements = query.get('_elements')?.split(',').map((e) => e.trim()).filter(Boolean);
    query.delete('_elements');
    count = Math.min(MAX_COUNT, Math.max(0, Number.parseInt(query.get('_count') ?? '', 10) || DEFAULT_COUNT));
    offset = Math.max(0, Number.parseInt(query.get('_offset') ?? '', 10) || 0);
    query.set('_count', String(count));
    query.set('_offset', String(offset));
    query.set('_total', 'accurate');
  } else if (method === 'GET') {
    elements = query.get('_elements')?.split(',').map((e) => e.trim()).filter(Boolean);
    query.delete('_elements');
  }

  const routePath = isSearch ? `${type}` : [type, id, ...rest].filter(Boolean).join('/');
  const qs = query.toString();
  const fhirRequest: FhirRequest = {
    method: (isSearch ? 'GET' : method) as FhirRequest['method'],
    url: `/${routePath}${qs ? `?${qs}` : ''}`,
    pathname: '',
    body,
    params: {},
    query: {},
    headers: req.headers,
  };
  const [result, resource] = await ctx.engine.router.handleRequest(fhirRequest, ctx.engine.repo);
  const status = getStatus(result);
  if (status >= 400 || !resource) {
    sendJson(res, status, result, { 'Content-Type': FHIR_JSON });
    return;
  }
  if (isOperationOutcome(resource)) {
    sendJson(res, status, resource, { 'Content-Type': FHIR_JSON });
    return;
  }

  if (resource.resourceType === 'Bundle' && isSearch) {
    const bundle = resource as Bundle;
    const total = bundle.total ?? 0;
    const entries: BundleEntry[] = [];
    for (const entry of bundle.entry ?? []) {
      const r = entry.resource;
      if (!r) continue;
      const mode = entry.search?.mode ?? 'match';
      const visible = isInCompartment(r, patientId) || (mode === 'include' && DIRECTORY_TYPES.has(r.resourceType));
      if (!visible) continue;
      entries.push({
        fullUrl: `${ctx.baseUrl}/${r.resourceType}/${r.id}`,
        resource: elements?.length && mode === 'match' ? subset(r, elements) : r,
        search: { mode },
      });
    }
    const page = (at: number) => {
      const q = new URLSearchParams(query);
      q.delete('_total');
      q.set('_offset', String(at));
      if (elements?.length) q.set('_elements', elements.join(','));
      if (type === 'Patient') q.delete('_id');
      const pin = PATIENT_SEARCH_PARAM[type];
      if (pin) q.delete(pin);
      return `${ctx.baseUrl}/${type}?${q.toString()}`;
    };
    const link = [{ relation: 'self', url: page(offset) }];
    if (offset + count < total) link.push({ relation: 'next', url: page(offset + count) });
    if (offset > 0) link.push({ relation: 'previous', url: page(Math.max(0, offset - count)) });
    const out: Bundle = { resourceType: 'Bundle', type: 'searchset', total, link, entry: entries };
    sendJson(res, 200, out, { 'Content-Type': FHIR_JSON });
    return;
  }

  if (!isInCompartment(resource, patientId)) {
    sendOutcome(res, 403, 'forbidden', `This ${resource.resourceType} does not belong to the signed-in patient.`);
    return;
  }
  const headers: Record<string, string> = { 'Content-Type': FHIR_JSON };
  const version = resource.meta?.versionId;
  if (version) headers['ETag'] = `W/"${version}"`;
  if (resource.meta?.lastUpdated) headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
  if (status === 201) headers['Location'] = `${ctx.baseUrl}/${resource.resourceType}/${resource.id}/_history/${version ?? '1'}`;
  sendJson(res, status, elements?.length ? subset(resource, elements) : resource, headers);
}
