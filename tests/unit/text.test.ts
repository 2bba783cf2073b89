import type { Patient } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { cleanMultiline, cleanText } from '../../src/lib/fhir/text.ts';
import { callbackPhone, fullName, greetingName } from '../../src/lib/fhir/patient.ts';

describe('display text from the EHR', () => {
  test('zero-width and control characters are removed', () => {
    expect(cleanText('Leukocytes [#/\u200Bvolume] in Blood')).toBe('Leukocytes [#/volume] in Blood');
    expect(cleanText('a\u0000b\u0007c\u00a0 d')).toBe('abc d');
    expect(cleanText(42)).toBe('');
  });
  test('right-to-left overrides cannot reorder what the patient reads', () => {
    expect(cleanText('Call \u202Eevil\u202C now')).toBe('Call evil now');
    expect(cleanText('\u2066x\u2069')).toBe('x');
  });
  test('messages keep their line breaks, tidied', () => {
    expect(cleanMultiline('Hi\r\n\r\n\r\n\r\nthere \t\n\u200Bok')).toBe('Hi\n\nthere\nok');
  });
});

describe('patient', () => {
  const patient: Patient = {
    resourceType: 'Patient',
    name: [
      { use: 'old', given: ['Old'], family: 'Name', period: { end: '2000-01-01' } },
      { use: 'official', given: ['Luis Miguel'], family: 'Delarosa', prefix: ['Mr.'] },
    ],
    telecom: [
      { system: 'email', value: 'x@example.org' },
      { system: 'phone', value: '555-810-8188', use: 'home' },
      { system: 'phone', value: '555-000-0000', use: 'mobile', period: { end: '2001-01-01' } },
    ],
  };
  test('greets by the first given name of the current name', () => {
    expect(greetingName(patient)).toBe('Luis Miguel');
    expect(fullName(patient)).toBe('Luis Miguel Delarosa');
    expect(greetingName({})).toBe('');
    expect(greetingName({ name: [{ text: 'Cantú, Catalina' }] })).toBe('Cantú, Catalina');
  });
  test('a phone number to call back: current mobile, else home', () => {
    expect(callbackPhone(patient)).toBe('555-810-8188');
  });
});
