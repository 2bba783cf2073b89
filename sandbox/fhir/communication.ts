/**
 * What a patient (or a caregiver) may send: a new Communication (a message, or the header of
 * a new conversation) is about the signed-in patient, from the token's
 * fhirUser (the patient, or the caregiver's RelatedPerson), to people on the patient's care team or the clinic's default
 * recipients, and points only inside the patient's compartment.
 */
import type { CareTeam, Communication, Reference, Resource } from '@medplum/fhirtypes';
import type { IndexedRepository } from './indexed-repository.ts';
import { isInCompartment } from './access.ts';

export interface Refusal {
  status: 403 | 422;
  /** FHIRPath of the element at fault, e.g. `Communication.recipient`. */
  expression: string;
  text: string;
}

export interface SenderContext {
  repo: IndexedRepository;
  patientId: string;
  /** The token's user (`Patient/<id>` for a patient, `RelatedPerson/<id>` for a caregiver). */
  fhirUser: string;
  /** The patient's RelatedPersons: a conversation a caregiver started is inside the compartment. */
  helpers?: ReadonlySet<string>;
  /** The clinic's default recipients (clinic.config.json messages.defaultRecipients). */
  defaultRecipients: readonly string[];
  /** The FHIR base URL: absolute references to this server are read as relative ones. */
  baseUrl: string;
}

/** `Type/id` of a reference to this server (relative, or absolute under its base), else undefined. */
export function localReference(ref: Reference | undefined, baseUrl: string): string | undefined {
  const value = ref?.reference;
  if (!value) return undefined;
  const relative = value.startsWith(`${baseUrl}/`) ? value.slice(baseUrl.length + 1) : value;
  return /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(relative) ? relative : undefined;
}

/** Who a patient may write to: the members of their care teams (not patients or relatives), and the clinic's defaults. */
export async function allowedRecipients(ctx: SenderContext): Promise<Set<string>> {
  const teams = (await ctx.repo.matches<CareTeam>({ resourceType: 'CareTeam' })).filter(
    (team) => isInCompartment(team, ctx.patientId) && team.status !== 'inactive' && team.status !== 'entered-in-error',
  );
  const members = teams
    .flatMap((team) => team.participant ?? [])
    .map((p) => localReference(p.member, ctx.baseUrl))
    .filter((ref): ref is string => !!ref && !/^(Patient|RelatedPerson)\//.test(ref));
  return new Set([...members, ...ctx.defaultRecipients]);
}

async function insideCompartment(ctx: SenderContext, ref: string | undefined, type?: string): Promise<boolean> {
  if (!ref || (type && !ref.startsWith(`${type}/`))) return false;
  const [refType = '', id = ''] = ref.split('/');
  try {
    const resource = await ctx.repo.readResource<Resource>(refType, id);
    return isInCompartment(resource, ctx.patientId, ctx.helpers);
  } catch {
    return false;
  }
}

/** Why this new Communication may not be created, or undefined when it may. */
export async function refuseCommunication(body: Communication, ctx: SenderContext): Promise<Refusal | undefined> {
  const patientRef = `Patient/${ctx.patientId}`;
  const subject = body.subject ? localReference(body.subject, ctx.baseUrl) : undefined;
  if (!body.subject)
    return {
      status: 422,
      expression: 'Communication.subject',
      text: `A message needs a subject: ${patientRef}, the signed-in patient.`,
    };
  if (subject !== patientRef)
    return {
      status: 403,
      expression: 'Communication.subject',
      text: `The subject must be ${patientRef}, the signed-in patient.`,
    };

  if (!body.sender)
    return {
      status: 422,
      expression: 'Communication.sender',
      text: `A message needs a sender: ${ctx.fhirUser}, who signed in.`,
    };
  if (localReference(body.sender, ctx.baseUrl) !== ctx.fhirUser)
    return {
      status: 403,
      expression: 'Communication.sender',
      text: `The sender must be ${ctx.fhirUser}, who signed in.`,
    };

  const recipients = body.recipient ?? [];
  if (!recipients.length)
    return {
      status: 422,
      expression: 'Communication.recipient',
      text: 'A message needs at least one recipient from the care team.',
    };
  const allowed = await allowedRecipients(ctx);
  const refused = recipients.filter((r) => !allowed.has(localReference(r, ctx.baseUrl) ?? ''));
  if (refused.length) {
    const names = refused.map((r) => r.reference ?? r.display ?? 'a recipient without a reference').join(', ');
    return {
      status: 422,
      expression: 'Communication.recipient',
      text: `Messages can go only to the patient's care team or the clinic's default recipients; not to ${names}.`,
    };
  }

  for (const [field, refs, type] of [
    ['partOf', body.partOf, 'Communication'],
    ['inResponseTo', body.inResponseTo, 'Communication'],
    ['about', body.about, undefined],
  ] as const) {
    for (const ref of refs ?? []) {
      if (!(await insideCompartment(ctx, localReference(ref, ctx.baseUrl), type))) {
        return {
          status: 422,
          expression: `Communication.${field}`,
          text: `Communication.${field} must point to ${type ? 'a conversation' : 'a record'} of the signed-in patient's own (${ref.reference ?? 'no reference'} is not).`,
        };
      }
    }
  }
  return undefined;
}
