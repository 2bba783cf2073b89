/**
 * A caregiver's sign-in: who she is and whose record is open, read once
 * right after signing in (her own RelatedPerson, which SMART's `fhirUser`
 * scope lets her read, and the patient's name), for the line every page
 * shows ("Adán's information · you are signed in as Lucía (daughter)").
 * Loaded only by the sign-in page, and only for a caregiver.
 */
import { getSession, isCaregiver, saveSession, type CaregiverLine } from '../auth/session.ts';
import type { Patient, RelatedPerson } from '@medplum/fhirtypes';
import { relationOf } from '../relationship.ts';
import { configureFhir, read } from './client.ts';
import { fullName, greetingName } from './patient.ts';
import type { SmartSettings } from '../settings.ts';

/** The line's words from the two resources (pure). */
export function caregiverLine(
  person: Pick<RelatedPerson, 'name' | 'relationship'> | undefined,
  patient: Pick<Patient, 'name'> | undefined,
): CaregiverLine {
  const { relation, text } = relationOf(person?.relationship);
  return {
    name: person ? greetingName(person) : '',
    ...(person && fullName(person) ? { full: fullName(person) } : {}),
    patient: patient ? greetingName(patient) : '',
    ...(relation ? { relation } : {}),
    ...(text ? { relationText: text } : {}),
  };
}

/** Reads and keeps the line in the session (a failure leaves the line with the words it has). */
export async function rememberCaregiver(settings: SmartSettings): Promise<void> {
  const session = getSession();
  if (!session || !isCaregiver(session) || !session.fhirUser) return;
  configureFhir(settings);
  const [type = '', id = ''] = session.fhirUser.split('/');
  const [person, patient] = await Promise.all([
    read<RelatedPerson>(type, id, {}).catch(() => undefined),
    read<Patient>('Patient', session.patientId, { _elements: 'name' }).catch(() => undefined),
  ]);
  const now = getSession();
  if (now) saveSession({ ...now, caregiver: caregiverLine(person, patient) });
}
