/**
 * Caregivers (proxy access), from the seed data's RelatedPersons. Pure
 * functions, unit-tested (caregivers.test.ts).
 *
 * - Every RelatedPerson is a caregiver of its `patient`.
 * - RelatedPersons that share an identifier (the same system *and* value) are
 *   one person, who may help each of those patients. An identifier without a
 *   system identifies nobody (its value could mean anything), so such a
 *   RelatedPerson is a person of its own.
 * - A RelatedPerson that is `active: false`, whose `period` has ended, or whose
 *   `period` has not started yet, gives no access.
 */
import type { Coding, RelatedPerson } from '@medplum/fhirtypes';

export type LinkAccess = 'active' | 'inactive' | 'ended' | 'not-started';

export interface CaregiverLink {
  /** The RelatedPerson's id: the token's `fhirUser` is `RelatedPerson/<id>`. */
  relatedPerson: string;
  patientId: string;
  /** The v3 RoleCode (or other) coding saying who the caregiver is to the patient (DAU: she is the patient's daughter). */
  relationship?: Coding;
  access: LinkAccess;
  /** The last day of access, when it has ended (YYYY-MM-DD as written). */
  ended?: string;
}

export interface Caregiver {
  /** The first RelatedPerson's id: stable, and safe in a form value. */
  key: string;
  name: string;
  links: CaregiverLink[];
}

const DAY = 86_400_000;

/**
 * The instant a FHIR date or dateTime starts (`edge: 'start'`) or ends
 * (`'end'`): a period ending on "2025-03-31" includes that whole day, and a
 * month or year the whole month or year.
 */
function instant(value: string, edge: 'start' | 'end'): number {
  const date = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(value);
  if (!date) return Date.parse(value);
  const [, y = '', m, d] = date;
  const start = Date.UTC(Number(y), m ? Number(m) - 1 : 0, d ? Number(d) : 1);
  if (edge === 'start') return start;
  if (d) return start + DAY - 1;
  if (m) return Date.UTC(Number(y), Number(m), 1) - 1;
  return Date.UTC(Number(y) + 1, 0, 1) - 1;
}

/** Does this RelatedPerson give access now? */
export function linkAccess(person: Pick<RelatedPerson, 'active' | 'period'>, now: Date): LinkAccess {
  if (person.active === false) return 'inactive';
  const { start, end } = person.period ?? {};
  if (start && instant(start, 'start') > now.getTime()) return 'not-started';
  if (end && instant(end, 'end') < now.getTime()) return 'ended';
  return 'active';
}

function nameOf(person: RelatedPerson): string {
  const name =
    person.name?.find((n) => n.use === 'usual') ?? person.name?.find((n) => n.use === 'official') ?? person.name?.[0];
  if (!name) return person.id ?? '';
  return (
    name.text?.trim() ||
    [...(name.given ?? []), name.family ?? '']
      .map((s) => s.trim())
      .filter(Boolean)
      .join(' ') ||
    (person.id ?? '')
  );
}

/** Groups RelatedPersons into caregivers (shared identifiers join them), with what each may do now. */
export function caregivers(people: readonly RelatedPerson[], now: Date): Caregiver[] {
  // Union-find over the RelatedPersons, joined by each `system|value` they share.
  const parent = people.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] as number] as number;
    return i;
  };
  const owner = new Map<string, number>();
  people.forEach((person, i) => {
    for (const id of person.identifier ?? []) {
      if (!id.system || !id.value) continue;
      const key = `${id.system}|${id.value}`;
      const seen = owner.get(key);
      if (seen === undefined) owner.set(key, i);
      else parent[find(i)] = find(seen);
    }
  });
  const groups = new Map<number, RelatedPerson[]>();
  people.forEach((person, i) => {
    if (!person.id || !person.patient?.reference?.startsWith('Patient/')) return;
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), person]);
  });
  return [...groups.values()]
    .map((members) => {
      const first = members[0] as RelatedPerson;
      return {
        key: first.id as string,
        name: nameOf(first),
        links: members.map((person) => {
          const access = linkAccess(person, now);
          const relationship = person.relationship?.flatMap((r) => r.coding ?? [])[0];
          return {
            relatedPerson: person.id as string,
            patientId: (person.patient.reference as string).slice('Patient/'.length),
            ...(relationship ? { relationship } : {}),
            access,
            ...(access === 'ended' && person.period?.end ? { ended: person.period.end } : {}),
          };
        }),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

/** The patients a caregiver may help now. */
export function activeLinks(caregiver: Caregiver): CaregiverLink[] {
  return caregiver.links.filter((link) => link.access === 'active');
}

const V3_ROLE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';

/**
 * Who the *patient* is to the caregiver, for the sandbox's sign-in page
 * ("helps: Adán Portillo (father)"): the RoleCode says who the caregiver is
 * to the patient (DAU), so the word is its reverse, chosen by the patient's
 * gender. Undefined when there is no plain reverse (then the page says the
 * caregiver's role instead).
 */
export function patientIsTo(relationship: Coding | undefined, patientGender: string | undefined): string | undefined {
  if (relationship?.system !== V3_ROLE) return undefined;
  const g = (male: string, female: string, other: string) =>
    patientGender === 'male' ? male : patientGender === 'female' ? female : other;
  switch (relationship.code) {
    case 'CHILD':
    case 'DAU':
    case 'SON':
    case 'NCHILD':
    case 'DAUC':
    case 'SONC':
    case 'CHLDADOPT':
    case 'DAUADOPT':
    case 'SONADOPT':
      return g('father', 'mother', 'parent');
    case 'MTH':
    case 'FTH':
    case 'PRN':
    case 'NPRN':
    case 'NMTH':
    case 'NFTH':
      return g('son', 'daughter', 'child');
    case 'WIFE':
    case 'HUSB':
    case 'SPS':
      return g('husband', 'wife', 'spouse');
    case 'DOMPART':
    case 'SIGOTHR':
      return 'partner';
    case 'SIS':
    case 'BRO':
    case 'SIB':
    case 'NSIS':
    case 'NBRO':
    case 'NSIB':
      return g('brother', 'sister', 'sibling');
    case 'GRNDCHILD':
    case 'GRNDDAU':
    case 'GRNDSON':
      return g('grandfather', 'grandmother', 'grandparent');
    case 'FRND':
      return 'friend';
    default:
      return undefined;
  }
}
