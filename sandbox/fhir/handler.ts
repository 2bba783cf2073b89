/**
 * The FHIR R4 REST endpoint of the sandbox: bearer tokens, SMART scopes (with
 * granular conditions), the patient compartment, and the profile's
 * behaviour (profiles.ts). Only the interactions the profile's
 * CapabilityStatement lists are answered: read, vread, search and, for
 * Communication, create; PUT, PATCH and DELETE answer 405, anything else 404
 * (history, operations, batches). Searches count, page and include only what
 * the token may see; every refusal is an OperationOutcome.
 *
 * This file routes a request; the jobs are beside it: who is asking
 * (requester.ts), reads (read.ts), searches (search.ts), creates (create.ts,
 * with the message rules in communication.ts), refusals (outcome.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getStatus, OperationOutcomeError } from '@medplum/core';
import { BodyTooLarge, readBody, sendJson } from '../http.ts';
import { capabilityStatement } from '../capabilities.ts';
import type { Interaction, SandboxProfile } from '../profiles.ts';
import type { FhirContext } from './context.ts';
import { create } from './create.ts';
import { FHIR_JSON, Refused, sendOutcome } from './outcome.ts';
import { read } from './read.ts';
import { authenticate } from './requester.ts';
import { search, searchRequest } from './search.ts';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

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
  const access = await authenticate(req, ctx);

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
