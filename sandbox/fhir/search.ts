/**
 * Searching the sandbox's FHIR endpoint: the parameters checked against the
 * profile, the matches pinned to the patient and to what the token may see,
 * then counted, paged (offsets or opaque links), subsetted and included.
 */
import type { ServerResponse } from 'node:http';
import { deepClone, parseSearchRequest, type SearchRequest } from '@medplum/core';
import { getExtraEntries } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, BundleLink } from '@medplum/fhirtypes';
import { sendJson } from '../http.ts';
import { allows, PATIENT_SEARCH_PARAM } from './access.ts';
import type { FhirContext } from './context.ts';
import { FHIR_JSON, Refused } from './outcome.ts';
import { subset } from './read.ts';
import type { Access } from './requester.ts';

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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export /** Checks a search's parameters against the profile; throws a 400/403 Refused. */
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

export function searchRequest(
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

export async function search(
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
