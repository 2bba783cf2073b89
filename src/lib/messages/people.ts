/**
 * Who is who in conversations: care team members with their roles (from the
 * patient's CareTeams, by SNOMED CT role code), and the names seen on
 * messages.
 */
import type { CareTeam, Communication, Reference } from '@medplum/fhirtypes';
import { cleanText } from '../fhir/text.ts';
import type { Person, Role } from './types.ts';

const ROLE_CODES: Record<string, Role> = {
  '446050000': 'doctor',
  '309343006': 'doctor',
  '158965000': 'doctor',
  '62247001': 'family-doctor',
  '224535009': 'nurse',
  '106292003': 'nurse',
  '224571005': 'nurse',
};

/** A reference as one string: its `reference`, else its business identifier. */
export function refOf(ref: Reference | undefined): string {
  return ref?.reference ?? (ref?.identifier?.value ? `identifier:${ref.identifier.value}` : '');
}

/** Everyone Clara can name: care team members with their roles, and display names seen on messages. */
export function peopleDirectory(
  careTeams: CareTeam[],
  messages: Communication[],
  patientRef: string,
): Map<string, Person> {
  const people = new Map<string, Person>();
  for (const team of careTeams) {
    for (const p of team.participant ?? []) {
      const reference = refOf(p.member);
      if (!reference || reference === patientRef) continue;
      const coding = p.role?.flatMap((r) => r.coding ?? []) ?? [];
      const role = coding.map((c) => ROLE_CODES[c.code ?? '']).find(Boolean) ?? 'staff';
      const roleText = cleanText(p.role?.[0]?.text ?? coding[0]?.display);
      const name = cleanText(p.member?.display);
      people.set(reference, { reference, name, role, ...(role === 'staff' && roleText ? { roleText } : {}) });
    }
  }
  for (const m of messages) {
    for (const ref of [m.sender, ...(m.recipient ?? [])]) {
      const reference = refOf(ref);
      if (!reference || reference === patientRef) continue;
      const known = people.get(reference);
      const name = cleanText(ref?.display);
      if (!known) people.set(reference, { reference, name, role: 'staff' });
      else if (!known.name && name) known.name = name;
    }
  }
  return people;
}

export const isHelper = (ref: string) => ref.startsWith('RelatedPerson/');

/** Only the care team is written to: never the patient or a caregiver (the server refuses them). */
export const isStaff = (p: Person) => p.role !== 'you' && p.role !== 'patient' && p.role !== 'helper';
