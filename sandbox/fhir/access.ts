/**
 * Who may see what: SMART scopes and the patient compartment. Pure
 * functions, unit-tested (access.test.ts).
 */
import type { Reference, Resource } from '@medplum/fhirtypes';

export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

/** Resource type → permissions granted by `patient/<Type>.<perms>` scopes (v2, and v1 read/write). */
export type ScopeGrants = Map<string, Set<Permission>>;

const V1: Record<string, Permission[]> = { read: ['r', 's'], write: ['c', 'u', 'd'], '*': ['c', 'r', 'u', 'd', 's'] };

export function parseScopes(scope: string): ScopeGrants {
  const grants: ScopeGrants = new Map();
  for (const part of scope.split(/\s+/)) {
    const match = /^patient\/([A-Za-z]+|\*)\.([a-z*]+)(?:\?.*)?$/.exec(part);
    if (!match) continue;
    const [, type = '', perms = ''] = match;
    const list = V1[perms] ?? (/^c?r?u?d?s?$/.test(perms) ? ([...perms] as Permission[]) : []);
    const set = grants.get(type) ?? new Set<Permission>();
    for (const p of list) set.add(p);
    grants.set(type, set);
  }
  return grants;
}

export function allows(grants: ScopeGrants, type: string, permission: Permission): boolean {
  return !!(grants.get(type)?.has(permission) || grants.get('*')?.has(permission));
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
};

/** Types whose searches the sandbox pins to the patient with this parameter. */
export const PATIENT_SEARCH_PARAM: Record<string, string> = {
  Observation: 'subject',
  DiagnosticReport: 'subject',
  CareTeam: 'subject',
  Encounter: 'subject',
  Specimen: 'subject',
  DocumentReference: 'subject',
};

function referencesAt(value: unknown, path: string[]): Reference[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((v) => referencesAt(v, path));
  if (path.length === 0) return typeof value === 'object' ? [value as Reference] : [];
  const [head = '', ...rest] = path;
  return referencesAt((value as Record<string, unknown>)[head], rest);
}

/** Is this resource the patient's own, or in the patient's compartment? */
export function isInCompartment(resource: Resource, patientId: string): boolean {
  if (resource.resourceType === 'Patient') return resource.id === patientId;
  const fields = COMPARTMENT_FIELDS[resource.resourceType];
  if (!fields) return false;
  const target = `Patient/${patientId}`;
  return fields.some((field) => referencesAt(resource, field.split('.')).some((ref) => ref.reference === target));
}
