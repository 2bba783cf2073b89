/**
 * Creating a resource on the sandbox's FHIR endpoint (only Communication, in
 * the profiles): the body validated, a message checked against the clinic's
 * rules (communication.ts), and `If-None-Exist` honoured one create at a
 * time.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { normalizeOperationOutcome, parseSearchRequest, validateResource, type SearchRequest } from '@medplum/core';
import type { Communication, Resource } from '@medplum/fhirtypes';
import { BodyTooLarge, readBody, sendJson } from '../http.ts';
import { allows } from './access.ts';
import { refuseCommunication } from './communication.ts';
import type { FhirContext } from './context.ts';
import { FHIR_JSON, Refused } from './outcome.ts';
import { resourceHeaders } from './read.ts';
import type { Access } from './requester.ts';
import { checkSearch } from './search.ts';

/** Conditional creates one at a time, so two retries of one message cannot both create it. */
let creating: Promise<unknown> = Promise.resolve();

export async function create(
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
