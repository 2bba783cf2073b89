import { describe, expect, test } from 'vitest';
import { relationOf, relationWord, RELATIONS } from '../../src/lib/relationship.ts';
import { isCaregiver, ownerKey, personKey } from '../../src/lib/auth/session.ts';
import { userReference } from '../../src/lib/auth/smart.ts';
import type { Communication } from '@medplum/fhirtypes';
import { buildThreads } from '../../src/lib/messages/threads.ts';
import { outgoingMessage } from '../../src/lib/messages/outgoing.ts';
import { caregiverLine } from '../../src/lib/fhir/caregiver.ts';
import { personName, type PeopleWords } from '../../src/lib/messages/people-text.ts';
import { loadNamespace } from './support/plain-language.ts';

const V3 = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
const code = (c: string, display?: string) => [{ coding: [{ system: V3, code: c, ...(display ? { display } : {}) }] }];

describe('relationship words from v3 RoleCode', () => {
  test('the common ones, natural, adoptive and step kin included', () => {
    expect(relationOf(code('DAU'))).toEqual({ relation: 'daughter' });
    expect(relationOf(code('NMTH'))).toEqual({ relation: 'mother' });
    expect(relationOf(code('STPFTH'))).toEqual({ relation: 'father' });
    expect(relationOf(code('HUSB'))).toEqual({ relation: 'husband' });
    expect(relationOf(code('DOMPART'))).toEqual({ relation: 'partner' });
    expect(relationOf(code('GRNDSON'))).toEqual({ relation: 'grandchild' });
    expect(relationOf(code('FRND'))).toEqual({ relation: 'friend' });
    expect(relationOf(code('GUARD'))).toEqual({ relation: 'guardian' });
  });
  test("others: the EHR's text, else a coding's display, else nothing (the plain fallback)", () => {
    expect(relationOf(code('NIECE', 'niece'))).toEqual({ text: 'niece' });
    expect(relationOf([{ coding: [{ system: V3, code: 'NEPHEW', display: 'nephew' }], text: 'Her nephew' }])).toEqual({
      text: 'Her nephew',
    });
    expect(relationOf([{ coding: [{ system: 'urn:other', code: 'DAU' }] }])).toEqual({});
    expect(relationOf(undefined)).toEqual({});
    const words = { 'relation.daughter': 'hija', 'relation.other': 'familiar o persona que ayuda' };
    expect(relationWord({ relation: 'daughter' }, words)).toBe('hija');
    expect(relationWord({ relationText: 'niece' }, words)).toBe('niece');
    expect(relationWord({}, words)).toBe('familiar o persona que ayuda');
  });
  test('every word has a translation in both languages', () => {
    for (const lang of ['en', 'es'] as const) {
      const common = loadNamespace(lang, 'common');
      for (const r of [...RELATIONS, 'other']) expect(common[`relation.${r}`], `${lang} relation.${r}`).toBeTruthy();
    }
  });
});

describe('who signed in, and whose records these are', () => {
  const patient = { patientId: 'p1', fhirUser: 'Patient/p1', user: 'p1' };
  const luciaForP1 = { patientId: 'p1', fhirUser: 'RelatedPerson/l-p1', user: 'caregiver-l' };
  const luciaForP2 = { patientId: 'p2', fhirUser: 'RelatedPerson/l-p2', user: 'caregiver-l' };
  test("drafts, outbox and copies: per patient and per signed-in user; a patient's keys as before", () => {
    expect(personKey(patient)).toBe('p1');
    expect(personKey({ patientId: 'p1' })).toBe('p1');
    expect(personKey(luciaForP1)).toBe('p1~l-p1');
    expect(personKey(luciaForP1)).not.toBe(personKey(patient));
    expect(personKey(luciaForP1)).not.toBe(personKey(luciaForP2));
    // A patient's prefix (`draft.p1.`) never lists a caregiver's records for that patient.
    expect(`draft.${personKey(luciaForP1)}.new`.startsWith(`draft.${personKey(patient)}.`)).toBe(false);
  });
  test("the kept copy belongs to the user: one owner for a caregiver's two parents, another for the patient", () => {
    expect(ownerKey(luciaForP1)).toBe(ownerKey(luciaForP2));
    expect(ownerKey(luciaForP1)).not.toBe(ownerKey(patient));
    expect(ownerKey(patient)).toBe('p1');
    expect(isCaregiver(luciaForP1)).toBe(true);
    expect(isCaregiver(patient)).toBe(false);
  });
  test('fhirUser claims, absolute or relative', () => {
    expect(userReference('https://ehr.example/fhir/R4/RelatedPerson/abc-1')).toBe('RelatedPerson/abc-1');
    expect(userReference('Patient/p1')).toBe('Patient/p1');
    expect(userReference('https://ehr.example/fhir/R4/Observation/1')).toBeUndefined();
    expect(userReference(42)).toBeUndefined();
  });
  test("the line's words: first names and the relationship", () => {
    expect(
      caregiverLine(
        {
          name: [{ given: ['Lucía'], family: 'Portillo Cantú' }],
          relationship: code('DAU'),
        },
        { name: [{ given: ['Adán'], family: 'Portillo' }] },
      ),
    ).toEqual({ name: 'Lucía', full: 'Lucía Portillo Cantú', patient: 'Adán', relation: 'daughter' });
    expect(caregiverLine(undefined, undefined)).toEqual({ name: '', patient: '' });
  });
});

describe('messages from a caregiver', () => {
  const words = {
    'people.you': 'You',
    'people.careTeam': 'your care team',
    'role.doctor': 'Doctor',
    'role.family-doctor': 'Family doctor',
    'role.nurse': 'Nurse',
    'role.staff': 'Care team',
    'people.helper': '{{name}} ({{relation}}) for {{patient}}',
    'people.helperForYou': '{{name}} ({{relation}}) for you',
    'relation.daughter': 'daughter',
    'relation.other': 'family member or helper',
  } satisfies PeopleWords;
  const nurse = { reference: 'Practitioner/n', display: 'María López, RN' };
  const msgs: Communication[] = [
    {
      resourceType: 'Communication',
      id: 'h',
      status: 'completed',
      subject: { reference: 'Patient/p1' },
      sender: { reference: 'RelatedPerson/l', display: 'Lucía Portillo' },
      recipient: [nurse],
      sent: '2026-01-01T10:00:00Z',
      payload: [{ contentString: 'How is he?' }],
    },
    {
      resourceType: 'Communication',
      id: 'r',
      status: 'completed',
      partOf: [{ reference: 'Communication/h' }],
      subject: { reference: 'Patient/p1' },
      sender: nurse,
      recipient: [{ reference: 'Patient/p1' }, { reference: 'RelatedPerson/l' }],
      sent: '2026-01-01T11:00:00Z',
      payload: [{ contentString: 'Fine.' }],
    },
    {
      resourceType: 'Communication',
      id: 's',
      status: 'completed',
      subject: { reference: 'Patient/p1' },
      sender: nurse,
      recipient: [{ reference: 'Practitioner/d' }],
      sent: '2026-01-01T12:00:00Z',
      payload: [{ contentString: 'Staff only' }],
    },
  ];
  const helpers = [{ reference: 'RelatedPerson/l', name: 'Lucía', relation: 'daughter' }];

  test('the caregiver sees her own as hers, the reply, never a staff-only one; replies go to the care team only', () => {
    const [thread, ...others] = buildThreads(msgs, 'p1', [], { me: 'RelatedPerson/l', patientName: 'Adán', helpers });
    expect(others).toEqual([]);
    expect(thread?.messages.map((m) => [m.id, m.mine])).toEqual([
      ['h', true],
      ['r', false],
    ]);
    expect(thread?.replyTo.map((p) => p.reference)).toEqual(['Practitioner/n']);
  });

  test('the patient sees her message marked as hers: "Lucía (daughter) for you"', () => {
    const [thread] = buildThreads(msgs, 'p1', [], { helpers });
    const first = thread?.messages[0];
    expect(first?.mine).toBe(false);
    expect(personName(first!.from, words)).toBe('Lucía (daughter) for you');
  });

  test('another caregiver sees "Lucía (daughter) for Adán"; without her resource, her display name and the plain word', () => {
    const [seen] = buildThreads(msgs, 'p1', [], { me: 'RelatedPerson/other', patientName: 'Adán', helpers });
    expect(personName(seen!.messages[0]!.from, words)).toBe('Lucía (daughter) for Adán');
    const [bare] = buildThreads(msgs, 'p1', [], {});
    expect(personName(bare!.messages[0]!.from, words)).toBe('Lucía Portillo (family member or helper) for you');
  });

  test("a caregiver's message: sender her RelatedPerson, subject the patient", () => {
    const body = outgoingMessage({
      clientId: 'c',
      patientId: 'p1',
      patientName: 'Adán Portillo',
      sender: 'RelatedPerson/l',
      senderName: 'Lucía Portillo Cantú',
      text: 'Hi',
      recipients: [{ reference: 'Practitioner/n' }],
      sent: '2026-01-01T00:00:00Z',
    });
    expect(body.sender).toEqual({ reference: 'RelatedPerson/l', display: 'Lucía Portillo Cantú' });
    expect(body.subject).toEqual({ reference: 'Patient/p1', display: 'Adán Portillo' });
    const own = outgoingMessage({
      clientId: 'c',
      patientId: 'p1',
      sender: 'Patient/p1',
      text: 'Hi',
      recipients: [],
      sent: '2026-01-01T00:00:00Z',
    });
    expect(own.sender).toEqual({ reference: 'Patient/p1' });
  });
});
