import { describe, expect, test } from 'vitest';
import { allows, isInCompartment, parseScopes } from './access.ts';

describe('scopes', () => {
  test('SMART v2 scopes grant exactly their permissions', () => {
    const grants = parseScopes('openid fhirUser launch/patient patient/Observation.rs patient/Communication.crs');
    expect(allows(grants, 'Observation', 'r')).toBe(true);
    expect(allows(grants, 'Observation', 's')).toBe(true);
    expect(allows(grants, 'Observation', 'c')).toBe(false);
    expect(allows(grants, 'Communication', 'c')).toBe(true);
    expect(allows(grants, 'DiagnosticReport', 'r')).toBe(false);
  });
  test('v1 read/write and wildcards', () => {
    const grants = parseScopes('patient/*.read patient/Communication.write');
    expect(allows(grants, 'CareTeam', 's')).toBe(true);
    expect(allows(grants, 'CareTeam', 'c')).toBe(false);
    expect(allows(grants, 'Communication', 'c')).toBe(true);
  });
  test('user/ and system/ scopes give a patient nothing', () => {
    const grants = parseScopes('user/*.rs system/Observation.rs');
    expect(allows(grants, 'Observation', 'r')).toBe(false);
  });
});

describe('compartment', () => {
  const me = 'p1';
  test('own Patient only', () => {
    expect(isInCompartment({ resourceType: 'Patient', id: 'p1' }, me)).toBe(true);
    expect(isInCompartment({ resourceType: 'Patient', id: 'p2' }, me)).toBe(false);
  });
  test('observations by subject', () => {
    expect(isInCompartment({ resourceType: 'Observation', status: 'final', code: {}, subject: { reference: 'Patient/p1' } }, me)).toBe(true);
    expect(isInCompartment({ resourceType: 'Observation', status: 'final', code: {}, subject: { reference: 'Patient/p2' } }, me)).toBe(false);
  });
  test('messages by participation, never by subject alone', () => {
    const staffOnly = { resourceType: 'Communication' as const, status: 'completed' as const, subject: { reference: 'Patient/p1' }, sender: { reference: 'Practitioner/n' }, recipient: [{ reference: 'Practitioner/d' }] };
    expect(isInCompartment(staffOnly, me)).toBe(false);
    expect(isInCompartment({ ...staffOnly, recipient: [{ reference: 'Patient/p1' }] }, me)).toBe(true);
    expect(isInCompartment({ ...staffOnly, sender: { reference: 'Patient/p1' } }, me)).toBe(true);
  });
  test('care team by subject or membership; directory types are not patient data', () => {
    expect(isInCompartment({ resourceType: 'CareTeam', participant: [{ member: { reference: 'Patient/p1' } }] }, me)).toBe(true);
    expect(isInCompartment({ resourceType: 'Practitioner', id: 'x' }, me)).toBe(false);
  });
});
