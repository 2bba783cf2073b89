import { describe, expect, test } from 'vitest';
import type { RelatedPerson } from '@medplum/fhirtypes';
import { activeLinks, caregivers, linkAccess, patientIsTo } from './caregivers.ts';

const SYSTEM = 'https://clinic.example/portal-user';
const now = new Date('2026-06-15T12:00:00Z');

function rp(id: string, patient: string, extra: Partial<RelatedPerson> = {}): RelatedPerson {
  return {
    resourceType: 'RelatedPerson',
    id,
    patient: { reference: `Patient/${patient}` },
    name: [{ given: ['Ana'], family: 'Torres' }],
    relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'DAU' }] }],
    ...extra,
  };
}

describe('caregiver access rules', () => {
  test('RelatedPersons sharing an identifier (system and value) are one person helping each patient', () => {
    const found = caregivers(
      [
        rp('a1', 'pedro', { identifier: [{ system: SYSTEM, value: 'U1' }] }),
        rp('a2', 'carmen', { identifier: [{ system: SYSTEM, value: 'U1' }] }),
        rp('b1', 'pedro', { identifier: [{ system: SYSTEM, value: 'U2' }], name: [{ text: 'Luis Torres' }] }),
      ],
      now,
    );
    expect(found).toHaveLength(2);
    const ana = found.find((c) => c.name === 'Ana Torres');
    expect(ana?.links.map((l) => [l.relatedPerson, l.patientId])).toEqual([
      ['a1', 'pedro'],
      ['a2', 'carmen'],
    ]);
    expect(activeLinks(ana!).map((l) => l.patientId)).toEqual(['pedro', 'carmen']);
    expect(found.find((c) => c.name === 'Luis Torres')?.links.map((l) => l.patientId)).toEqual(['pedro']);
  });

  test('a shared identifier joins people through a chain of identifiers', () => {
    const found = caregivers(
      [
        rp('a1', 'p1', { identifier: [{ system: SYSTEM, value: 'U1' }] }),
        rp('a2', 'p2', {
          identifier: [
            { system: SYSTEM, value: 'U1' },
            { system: 'urn:other', value: 'X' },
          ],
        }),
        rp('a3', 'p3', { identifier: [{ system: 'urn:other', value: 'X' }] }),
      ],
      now,
    );
    expect(found).toHaveLength(1);
    expect(found[0]?.links.map((l) => l.patientId)).toEqual(['p1', 'p2', 'p3']);
  });

  test('the same value in different identifier systems is two different people', () => {
    const found = caregivers(
      [
        rp('a1', 'p1', { identifier: [{ system: SYSTEM, value: '1234' }] }),
        rp('a2', 'p2', { identifier: [{ system: 'http://hospital.example/mrn', value: '1234' }] }),
      ],
      now,
    );
    expect(found).toHaveLength(2);
  });

  test('an identifier without a system, or no identifier, joins nobody', () => {
    const found = caregivers(
      [
        rp('a1', 'p1', { identifier: [{ value: 'U1' }] }),
        rp('a2', 'p2', { identifier: [{ value: 'U1' }] }),
        rp('a3', 'p3'),
      ],
      now,
    );
    expect(found).toHaveLength(3);
  });

  test('active: false gives no access', () => {
    expect(linkAccess({ active: false }, now)).toBe('inactive');
    const [c] = caregivers([rp('a1', 'p1', { active: false })], now);
    expect(c?.links[0]?.access).toBe('inactive');
    expect(activeLinks(c!)).toEqual([]);
  });

  test('an ended period gives no access; the end day itself still does', () => {
    expect(linkAccess({ period: { start: '2020-01-01', end: '2026-06-14' } }, now)).toBe('ended');
    expect(linkAccess({ period: { end: '2026-06-15' } }, now)).toBe('active');
    expect(linkAccess({ period: { end: '2026-06-15T11:59:00Z' } }, now)).toBe('ended');
    expect(linkAccess({ period: { end: '2026-05' } }, now)).toBe('ended');
    const [c] = caregivers([rp('a1', 'p1', { period: { end: '2025-03-31' } })], now);
    expect(c?.links[0]).toMatchObject({ access: 'ended', ended: '2025-03-31' });
  });

  test('a period that has not started yet gives no access', () => {
    expect(linkAccess({ period: { start: '2026-06-16' } }, now)).toBe('not-started');
    expect(linkAccess({ period: { start: '2026-06-15' } }, now)).toBe('active');
    expect(linkAccess({ active: true, period: { start: '2026-01-01' } }, now)).toBe('active');
  });

  test('one helper with access to one parent and not the other keeps only that one', () => {
    const [c] = caregivers(
      [
        rp('a1', 'pedro', { identifier: [{ system: SYSTEM, value: 'U1' }] }),
        rp('a2', 'carmen', { identifier: [{ system: SYSTEM, value: 'U1' }], period: { end: '2024-01-01' } }),
      ],
      now,
    );
    expect(activeLinks(c!).map((l) => l.patientId)).toEqual(['pedro']);
  });

  test('a RelatedPerson of something other than a patient is no caregiver', () => {
    expect(caregivers([{ ...rp('a1', 'x'), patient: { reference: 'Group/1' } }], now)).toEqual([]);
  });
});

describe('the patient, as seen from the caregiver', () => {
  const code = (c: string) => ({ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: c });
  test("the reverse of the RoleCode, by the patient's gender", () => {
    expect(patientIsTo(code('DAU'), 'male')).toBe('father');
    expect(patientIsTo(code('DAU'), 'female')).toBe('mother');
    expect(patientIsTo(code('SON'), undefined)).toBe('parent');
    expect(patientIsTo(code('MTH'), 'female')).toBe('daughter');
    expect(patientIsTo(code('WIFE'), 'male')).toBe('husband');
    expect(patientIsTo(code('FRND'), 'female')).toBe('friend');
    expect(patientIsTo(code('GUARD'), 'female')).toBeUndefined();
    expect(patientIsTo({ system: 'urn:other', code: 'DAU' }, 'male')).toBeUndefined();
  });
});

describe('sample dates moved forward', () => {
  test("keepCurrent moves the patient's clinical dates but never a caregiver's access period", async () => {
    const { keepCurrent } = await import('./seed.ts');
    const entries = [
      {
        file: 'f',
        index: 0,
        resource: {
          resourceType: 'Observation',
          id: 'o',
          status: 'final',
          code: {},
          subject: { reference: 'Patient/p1' },
          effectiveDateTime: '2020-01-01',
        },
      },
      {
        file: 'f',
        index: 1,
        resource: { ...rp('a1', 'p1'), id: 'a1', period: { start: '2019-01-01', end: '2025-03-31' } },
      },
    ] as Parameters<typeof keepCurrent>[0];
    const shifts = keepCurrent(entries, now);
    expect(shifts.get('Patient/p1')).toBeGreaterThan(0);
    expect((entries[0]?.resource as { effectiveDateTime: string }).effectiveDateTime).not.toBe('2020-01-01');
    expect((entries[1]?.resource as RelatedPerson).period).toEqual({ start: '2019-01-01', end: '2025-03-31' });
  });
});
