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
    expect(
      isInCompartment(
        { resourceType: 'Observation', status: 'final', code: {}, subject: { reference: 'Patient/p1' } },
        me,
      ),
    ).toBe(true);
    expect(
      isInCompartment(
        { resourceType: 'Observation', status: 'final', code: {}, subject: { reference: 'Patient/p2' } },
        me,
      ),
    ).toBe(false);
  });
  test('messages by participation, never by subject alone', () => {
    const staffOnly = {
      resourceType: 'Communication' as const,
      status: 'completed' as const,
      subject: { reference: 'Patient/p1' },
      sender: { reference: 'Practitioner/n' },
      recipient: [{ reference: 'Practitioner/d' }],
    };
    expect(isInCompartment(staffOnly, me)).toBe(false);
    expect(isInCompartment({ ...staffOnly, recipient: [{ reference: 'Patient/p1' }] }, me)).toBe(true);
    expect(isInCompartment({ ...staffOnly, sender: { reference: 'Patient/p1' } }, me)).toBe(true);
  });
  test("caregivers' messages about the patient, and replies to them; never a staff-only one or another patient's", () => {
    const helpers = new Set(['RelatedPerson/ana-for-p1']);
    const base = {
      resourceType: 'Communication' as const,
      status: 'completed' as const,
      subject: { reference: 'Patient/p1' },
    };
    const fromAna = {
      ...base,
      sender: { reference: 'RelatedPerson/ana-for-p1' },
      recipient: [{ reference: 'Practitioner/d' }],
    };
    const toAna = {
      ...base,
      sender: { reference: 'Practitioner/d' },
      recipient: [{ reference: 'RelatedPerson/ana-for-p1' }],
    };
    expect(isInCompartment(fromAna, me, helpers)).toBe(true);
    expect(isInCompartment(toAna, me, helpers)).toBe(true);
    expect(isInCompartment(fromAna, me)).toBe(false);
    expect(isInCompartment({ ...fromAna, subject: { reference: 'Patient/p2' } }, me, helpers)).toBe(false);
    expect(isInCompartment({ ...fromAna, sender: { reference: 'RelatedPerson/someone-else' } }, me, helpers)).toBe(
      false,
    );
    expect(
      isInCompartment(
        { ...base, sender: { reference: 'Practitioner/n' }, recipient: [{ reference: 'Practitioner/d' }] },
        me,
        helpers,
      ),
    ).toBe(false);
    expect(isInCompartment({ resourceType: 'RelatedPerson', patient: { reference: 'Patient/p1' } }, me)).toBe(true);
    expect(isInCompartment({ resourceType: 'RelatedPerson', patient: { reference: 'Patient/p2' } }, me)).toBe(false);
  });
  test('care team by subject or membership; directory types are not patient data', () => {
    expect(
      isInCompartment({ resourceType: 'CareTeam', participant: [{ member: { reference: 'Patient/p1' } }] }, me),
    ).toBe(true);
    expect(isInCompartment({ resourceType: 'Practitioner', id: 'x' }, me)).toBe(false);
  });
});
