/**
 * Reading one resource (read and vread) from the sandbox's FHIR endpoint,
 * with the headers a resource is answered with and the `_elements` subset
 * searches share.
 */
import type { ServerResponse } from 'node:http';
import type { Resource } from '@medplum/fhirtypes';
import { sendJson } from '../http.ts';
import { allows } from './access.ts';
import type { FhirContext } from './context.ts';
import { FHIR_JSON, Refused } from './outcome.ts';
import type { Access } from './requester.ts';

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

export async function read(
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

export function resourceHeaders(ctx: FhirContext, resource: Resource, created = false): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': FHIR_JSON };
  const version = resource.meta?.versionId;
  if (version) headers['ETag'] = `W/"${version}"`;
  if (resource.meta?.lastUpdated) headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
  if (created)
    headers['Location'] = `${ctx.baseUrl}/${resource.resourceType}/${resource.id}/_history/${version ?? '1'}`;
  return headers;
}
