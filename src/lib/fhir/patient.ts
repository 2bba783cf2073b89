/** The patient's own details, as Clara shows them. */
import type { HumanName, Patient, RelatedPerson } from '@medplum/fhirtypes';
import { cleanText } from './text.ts';

/** A person with a name and phone numbers: the patient, or a caregiver (her RelatedPerson). */
export type NamedPerson = Pick<Patient | RelatedPerson, 'name' | 'telecom'>;

/** The name to use: `usual`, then `official`, then the first; never an old one. */
export function pickName(patient: NamedPerson, now = new Date()): HumanName | undefined {
  const current = (patient.name ?? []).filter((n) => !n.period?.end || Date.parse(n.period.end) > now.getTime());
  return current.find((n) => n.use === 'usual') ?? current.find((n) => n.use === 'official') ?? current[0];
}

/** How to greet the patient: the first given name ("Luis Miguel"), else the whole name. */
export function greetingName(patient: NamedPerson): string {
  const name = pickName(patient);
  if (!name) return '';
  const given = cleanText(name.given?.[0]);
  return given || cleanText(name.text) || cleanText(name.family);
}

/** The full name, for labels ("Adán Portillo"). */
export function fullName(patient: NamedPerson): string {
  const name = pickName(patient);
  if (!name) return '';
  return cleanText(name.text) || [...(name.given ?? []), name.family ?? ''].map(cleanText).filter(Boolean).join(' ');
}

/** A phone number to call the patient back: mobile first, then home, then any. */
export function callbackPhone(patient: NamedPerson): string {
  const phones = (patient.telecom ?? []).filter((t) => t.system === 'phone' && t.value && !t.period?.end);
  const byUse = (use: string) => phones.find((t) => t.use === use);
  return cleanText(
    (byUse('mobile') ?? byUse('home') ?? phones.sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99))[0])?.value,
  );
}
