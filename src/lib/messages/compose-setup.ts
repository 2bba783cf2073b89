/**
 * What the new-message and call-back forms need before they show: whom the
 * patient can write to (the care team from the EHR, else the clinic's
 * default recipients), the phone numbers to offer for a call-back, and the
 * result a message is about.
 */
import type { Observation, Patient, RelatedPerson } from '@medplum/fhirtypes';
import { granted, isCaregiver, type Session } from '../auth/session.ts';
import { read } from '../fhir/client.ts';
import { callbackPhone } from '../fhir/patient.ts';
import { formatDate } from '../i18n/format.ts';
import type { Lang } from '../i18n/langs.ts';
import { careTeams } from './care-team.ts';
import { peopleDirectory } from './people.ts';
import type { Person } from './types.ts';

export interface ComposeSetup {
  people: Person[];
  phone: string;
  /** A caregiver's call-back: whom to call, the patient or her, with each one's number. */
  whom?: { patient: { name: string; phone: string }; me: { name: string; phone: string } };
  about?: { name: string; date?: string };
}

/** What the form asks for (the island's own props): its language and mode, the clinic's recipients, the glossary. */
export interface ComposeRequest {
  lang: Lang;
  mode: 'message' | 'callback';
  /** The clinic's recipients when the EHR names no care team. */
  defaults: { reference: string; display: string; role: 'doctor' | 'nurse' | 'staff' }[];
  /** `glossary`: the language's glossary folder (/en/labs/), to name the result the message is about. */
  paths: { glossary: string };
}

/** The call-back form's read of the patient's phone numbers: the island and the page's early requests (fhir/early.ts) both use it. */
export const PHONE_PARAMS = { _elements: 'telecom' };

/** `resultId`: the result the message is about (`?result=`), if any. */
export async function loadComposeSetup(
  session: Session,
  request: ComposeRequest,
  resultId: string | null,
  signal: AbortSignal,
): Promise<ComposeSetup> {
  const { lang, mode } = request;
  const caregiver =
    mode === 'callback' && isCaregiver(session) && session.fhirUser ? session.fhirUser.split('/') : undefined;
  const [teams, patient, observation, helper] = await Promise.all([
    careTeams(signal),
    mode === 'callback' && granted(session, 'Patient')
      ? read<Patient>('Patient', session.patientId, PHONE_PARAMS, signal).catch(() => undefined)
      : undefined,
    resultId && granted(session, 'Observation')
      ? read<Observation>(
          'Observation',
          resultId,
          { _elements: 'code,effectiveDateTime,effectivePeriod,issued' },
          signal,
        ).catch(() => undefined)
      : undefined,
    // Her own RelatedPerson (SMART's fhirUser scope lets her read it): her number.
    caregiver
      ? read<RelatedPerson>(caregiver[0] ?? '', caregiver[1] ?? '', {}, signal).catch(() => undefined)
      : undefined,
  ]);
  const me = `Patient/${session.patientId}`;
  let people = [...peopleDirectory(teams, [], me).values()].filter(
    (p) =>
      p.reference.startsWith('Practitioner') ||
      p.reference.startsWith('PractitionerRole') ||
      p.reference.startsWith('Organization') ||
      p.reference.startsWith('CareTeam'),
  );
  if (!people.length) people = request.defaults.map((d) => ({ reference: d.reference, name: d.display, role: d.role }));
  // Naming the result needs the glossary's test codes: loaded only for a message about a result.
  const subject = observation
    ? await (await import('../results/message-subject.ts')).resultSubject(observation, request.paths.glossary)
    : undefined;
  const line = session.caregiver;
  const whom = caregiver
    ? {
        patient: { name: line?.patient ?? '', phone: patient ? callbackPhone(patient) : '' },
        me: { name: line?.name ?? '', phone: helper ? callbackPhone(helper) : '' },
      }
    : undefined;
  return {
    people,
    // A caregiver asks for a call: to her, unless she chooses the patient.
    phone: whom ? whom.me.phone : patient ? callbackPhone(patient) : '',
    ...(whom ? { whom } : {}),
    ...(subject
      ? {
          about: {
            name: subject.name,
            ...(subject.date ? { date: formatDate(lang, new Date(subject.date), { dateStyle: 'long' }) } : {}),
          },
        }
      : {}),
  };
}
