/**
 * Who may see what: SMART scopes and the patient compartment. Pure
 * functions, unit-tested (access.test.ts).
 */
import type { Reference, Resource } from '@medplum/fhirtypes';

export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

/**
 * What `patient/<Type>.<perms>[?search]` scopes grant, by resource type:
 * permissions without a condition, and permissions limited to what matches a
 * search (SMART v2 granular scopes, e.g. `patient/Observation.rs?category=…|laboratory`).
 */
export interface TypeGrant {
  all: Set<Permission>;
  narrowed: { permissions: Set<Permission>; query: string }[];
}
export type ScopeGrants = Map<string, TypeGrant>;

const V1: Record<string, Permission[]> = { read: ['r', 's'], write: ['c', 'u', 'd'], '*': ['c', 'r', 'u', 'd', 's'] };
const ORDER: Permission[] = ['c', 'r', 'u', 'd', 's'];

/** `patient/<Type or *>.<perms>[?query]`: the type, the permissions asked (v1 or v2), whether v1, and the query. */
export function parseResourceScope(
  scope: string,
): { type: string; permissions: Permission[]; v1: boolean; query?: string } | undefined {
  const match = /^patient\/([A-Za-z]+|\*)\.([a-z*]+)(?:\?(.+))?$/.exec(scope);
  if (!match) return undefined;
  const [, type = '', perms = '', query] = match;
  const v1 = V1[perms];
  const permissions = v1 ?? (/^c?r?u?d?s?$/.test(perms) ? ([...perms] as Permission[]) : []);
  if (!permissions.length) return undefined;
  return { type, permissions, v1: !!v1, ...(query ? { query } : {}) };
}

export function parseScopes(scope: string): ScopeGrants {
  const grants: ScopeGrants = new Map();
  for (const part of scope.split(/\s+/)) {
    const parsed = parseResourceScope(part);
    if (!parsed) continue;
    const grant = grants.get(parsed.type) ?? { all: new Set<Permission>(), narrowed: [] };
    if (parsed.query) grant.narrowed.push({ permissions: new Set(parsed.permissions), query: parsed.query });
    else for (const p of parsed.permissions) grant.all.add(p);
    grants.set(parsed.type, grant);
  }
  return grants;
}

/** Does any scope give this permission on this type (perhaps only for what matches a search)? */
export function allows(grants: ScopeGrants, type: string, permission: Permission): boolean {
  return [grants.get(type), grants.get('*')].some(
    (g) => !!g && (g.all.has(permission) || g.narrowed.some((n) => n.permissions.has(permission))),
  );
}

/**
 * The searches that limit a permission on a type: `undefined` when a scope
 * gives it without condition, else the granular scopes' queries (a resource
 * must match one of them).
 */
export function conditions(grants: ScopeGrants, type: string, permission: Permission): string[] | undefined {
  const own = [grants.get(type), grants.get('*')].filter((g): g is TypeGrant => !!g);
  if (own.some((g) => g.all.has(permission))) return undefined;
  return own.flatMap((g) => g.narrowed.filter((n) => n.permissions.has(permission)).map((n) => n.query));
}

/**
 * What a server grants for the scopes asked: the intersection of what was
 * asked, what the server supports (`permissionsFor(type)`, in cruds order; ''
 * for a type it does not have) and what a patient may do. Wildcards become
 * the server's types; a v1 scope stays v1 where v1 can say exactly what was
 * granted (`read`), else it is written in v2 letters (`patient/Communication.c`
 * for `.write`). A granular scope is granted as asked when every parameter of
 * its search is one `searchable(type, code)` says the server answers.
 */
export function grantResourceScope(
  scope: string,
  types: readonly string[],
  permissionsFor: (type: string) => string,
  searchable: (type: string, code: string) => boolean,
): string[] {
  const parsed = parseResourceScope(scope);
  if (!parsed) return [];
  if (parsed.type === '*' && parsed.query) return [];
  const out: string[] = [];
  for (const type of parsed.type === '*' ? types : types.filter((t) => t === parsed.type)) {
    const supported = permissionsFor(type);
    const granted = ORDER.filter((p) => parsed.permissions.includes(p) && supported.includes(p));
    if (!granted.length) continue;
    if (parsed.query) {
      const params = new URLSearchParams(parsed.query);
      if (
        [...params.keys()].some(
          (key) => key.startsWith('_') || key.includes('.') || !searchable(type, key.split(':')[0] ?? ''),
        )
      )
        continue;
    }
    const letters = granted.join('');
    const written = parsed.v1 && letters === 'rs' ? 'read' : parsed.v1 && letters === 'cruds' ? '*' : letters;
    out.push(`patient/${type}.${written}${parsed.query ? `?${parsed.query}` : ''}`);
  }
  return out;
}

/** Types that are not patient data (a clinic's directory), readable when a search includes them. */
export const DIRECTORY_TYPES = new Set(['Practitioner', 'PractitionerRole', 'Organization']);

/** The fields that put a resource of each type in a patient's compartment. */
const COMPARTMENT_FIELDS: Record<string, string[]> = {
  Observation: ['subject', 'performer'],
  DiagnosticReport: ['subject'],
  CareTeam: ['subject', 'participant.member'],
  Encounter: ['subject'],
  Specimen: ['subject'],
  DocumentReference: ['subject'],
  Binary: ['securityContext'],
  // A patient sees a message only when taking part in it: staff-only
  // conversations *about* the patient (subject) stay hidden.
  Communication: ['sender', 'recipient'],
  // The patient's caregivers (read.ts lets a caregiver read her own).
  RelatedPerson: ['patient'],
};

/** Types whose searches the sandbox pins to the patient with this parameter. */
export const PATIENT_SEARCH_PARAM: Record<string, string> = {
  Observation: 'subject',
  DiagnosticReport: 'subject',
  CareTeam: 'subject',
  Encounter: 'subject',
  Specimen: 'subject',
  DocumentReference: 'subject',
  RelatedPerson: 'patient',
};

function referencesAt(value: unknown, path: string[]): Reference[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((v) => referencesAt(v, path));
  if (path.length === 0) return typeof value === 'object' ? [value as Reference] : [];
  const [head = '', ...rest] = path;
  return referencesAt((value as Record<string, unknown>)[head], rest);
}

/**
 * Is this resource the patient's own, or in the patient's compartment?
 * `helpers` are the patient's RelatedPersons (`RelatedPerson/<id>`): a
 * message *about* the patient (subject) that one of them sends or receives
 * belongs to the patient too, so the patient and every caregiver see the
 * caregivers' messages and the care team's replies to them; a conversation
 * among staff alone stays hidden.
 */
export function isInCompartment(
  resource: Resource,
  patientId: string,
  helpers: ReadonlySet<string> = new Set(),
): boolean {
  if (resource.resourceType === 'Patient') return resource.id === patientId;
  const fields = COMPARTMENT_FIELDS[resource.resourceType];
  if (!fields) return false;
  const target = `Patient/${patientId}`;
  if (fields.some((field) => referencesAt(resource, field.split('.')).some((ref) => ref.reference === target)))
    return true;
  if (resource.resourceType !== 'Communication' || !helpers.size) return false;
  if (!referencesAt(resource, ['subject']).some((ref) => ref.reference === target)) return false;
  return [...referencesAt(resource, ['sender']), ...referencesAt(resource, ['recipient'])].some((ref) =>
    helpers.has(ref.reference ?? ''),
  );
}
