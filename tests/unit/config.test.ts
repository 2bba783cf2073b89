import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { applyEnvironment } from '../../src/build/config-file.ts';
import { formatConfigErrors, validateConfig } from '../../src/lib/config/validate.ts';

const sample = JSON.parse(readFileSync(join(import.meta.dirname, '../../clinic.config.json'), 'utf8')) as Record<
  string,
  unknown
>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke at arbitrary fields
const clone = () => structuredClone(sample) as Record<string, any>;

function errorsOf(raw: unknown): string[] {
  const result = validateConfig(raw);
  return result.ok ? [] : result.errors;
}

describe('clinic configuration', () => {
  test('the sample clinic is valid, with defaults filled in', () => {
    const result = validateConfig(sample);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.config.clinic.name).toBe('Riverbend Family Clinic');
      expect(result.config.fhir.timeoutSeconds).toBe(20);
      expect(result.config.languages).toEqual(['en', 'es']);
    }
  });

  test('a missing field is named, with what is expected', () => {
    const raw = clone();
    delete raw['clinic'].name;
    expect(errorsOf(raw)).toEqual([expect.stringMatching(/^clinic\.name: expected the clinic's name/)]);
  });

  test('a phone number not in international form', () => {
    const raw = clone();
    raw['clinic'].phones.main = '555-0100';
    expect(errorsOf(raw)).toEqual([
      'clinic.phones.main: expected a phone number in international form, a plus sign then digits only, like "+15550100123" (got "555-0100").',
    ]);
  });

  test('hours: unknown day, bad time, closing before opening', () => {
    const raw = clone();
    raw['clinic'].hours = [
      { days: ['monday'], opens: '8am', closes: '17:00' },
      { days: ['sat'], opens: '12:00', closes: '09:00' },
    ];
    const errors = errorsOf(raw);
    expect(errors).toContainEqual(
      expect.stringMatching(/^clinic\.hours\[0\]\.days: expected a list of days from mon, tue/),
    );
    expect(errors).toContainEqual(expect.stringMatching(/^clinic\.hours\[0\]\.opens: expected a 24-hour time/));
    expect(errors).toContainEqual('clinic.hours[1].closes: expected a time later than opens (12:00) (got "09:00").');
  });

  test('an unknown time zone', () => {
    const raw = clone();
    raw['clinic'].timeZone = 'Mars/Olympus';
    expect(errorsOf(raw)).toEqual([expect.stringMatching(/^clinic\.timeZone: expected an IANA time zone/)]);
  });

  test('languages: unsupported, repeated, or a default not in the list', () => {
    const raw = clone();
    raw['languages'] = ['en', 'fr'];
    raw['defaultLanguage'] = 'fr';
    const errors = errorsOf(raw);
    expect(errors).toContainEqual(expect.stringMatching(/^languages: expected a list of languages from "en", "es"/));
    expect(errors).toContainEqual(expect.stringMatching(/^defaultLanguage: expected one of the languages/));
  });

  test('the FHIR server must be https (http only for localhost)', () => {
    const raw = clone();
    raw['fhir'].baseUrl = 'http://ehr.example.org/fhir';
    expect(errorsOf(raw)).toEqual([expect.stringMatching(/^fhir\.baseUrl: expected an https:\/\/ address/)]);
    raw['fhir'].baseUrl = 'https://ehr.example.org/fhir/';
    const result = validateConfig(raw);
    expect(result.ok && result.config.fhir.baseUrl).toBe('https://ehr.example.org/fhir');
  });

  test('where Clara is published: required, https (http only for localhost), without a query', () => {
    const raw = clone();
    delete raw['portal'];
    expect(errorsOf(raw)).toEqual(['portal: expected an object { … } (got nothing).']);
    raw['portal'] = { url: 'http://portal.example.org' };
    expect(errorsOf(raw)).toEqual([
      expect.stringMatching(/^portal\.url: expected an https:\/\/ address .* like "https:\/\/portal\.example\.org"/),
    ]);
    raw['portal'] = { url: 'https://portal.example.org/?from=flyer' };
    expect(errorsOf(raw)).toEqual([expect.stringMatching(/^portal\.url: expected the address of the site alone/)]);
    raw['portal'] = { url: 'https://portal.example.org/' };
    const result = validateConfig(raw);
    expect(result.ok && result.config.portal.url).toBe('https://portal.example.org');
    raw['portal'] = { url: 'http://localhost:4321' };
    expect(errorsOf(raw)).toEqual([]);
  });

  test('CLARA_PORTAL_URL points the same configuration at another address', () => {
    const raw = applyEnvironment(clone(), { CLARA_PORTAL_URL: 'http://localhost:4410' });
    const result = validateConfig(raw);
    expect(result.ok && result.config.portal.url).toBe('http://localhost:4410');
    expect(result.ok && result.config.clinic.name).toBe('Riverbend Family Clinic');
  });

  test('a misspelt field is reported, not ignored', () => {
    const raw = clone();
    raw['clinic'].phone = raw['clinic'].phones;
    expect(errorsOf(raw)).toEqual([
      expect.stringMatching(/^clinic\.phone: unknown field; the fields here are name, timeZone/),
    ]);
  });

  test('numbers out of range and wrong types', () => {
    const raw = clone();
    raw['results'].reviewWithinBusinessDays = 0;
    raw['smart'].offlineAccess = 'yes';
    const errors = errorsOf(raw);
    expect(errors).toContain('results.reviewWithinBusinessDays: expected a whole number from 1 to 30 (got 0).');
    expect(errors).toContain('smart.offlineAccess: expected true or false (got "yes").');
  });

  test('not an object at all', () => {
    expect(errorsOf([])).toEqual(['configuration: expected an object { … } (got []).']);
  });

  test('the build message names the file and every problem', () => {
    expect(formatConfigErrors('clinic.config.json', ['a: x.', 'b: y.'])).toBe(
      'Clinic configuration clinic.config.json has 2 problems; Clara was not built:\n  - a: x.\n  - b: y.',
    );
  });
});

describe('default message recipients', () => {
  test('a list of references with names and roles', () => {
    const raw = clone();
    raw['messages'].defaultRecipients = [
      { reference: 'Practitioner/abc', display: 'Nurse line', role: 'nurse' },
      { reference: 'Organization/9', display: 'Front desk' },
    ];
    const result = validateConfig(raw);
    expect(result.ok && result.config.messages.defaultRecipients).toEqual([
      { reference: 'Practitioner/abc', display: 'Nurse line', role: 'nurse' },
      { reference: 'Organization/9', display: 'Front desk', role: 'staff' },
    ]);
  });
  test('a wrong reference or role is named', () => {
    const raw = clone();
    raw['messages'].defaultRecipients = [{ reference: 'Patient/1', display: 'x', role: 'boss' }];
    const errors = errorsOf(raw);
    expect(errors).toContainEqual(
      expect.stringMatching(/^messages\.defaultRecipients\[0\]\.reference: expected a FHIR reference/),
    );
    expect(errors).toContainEqual(
      expect.stringMatching(/^messages\.defaultRecipients\[0\]\.role: expected "doctor", "nurse" or "staff"/),
    );
  });

  test('smart.endpointOrigins: origins only (no path), https (http for localhost), a list; absent is none', () => {
    for (const [value, field] of [
      [['https://login.example.org/oauth/token'], 'smart.endpointOrigins[0]'],
      [['http://login.example.org'], 'smart.endpointOrigins[0]'],
      [['https://ok.example.org', 'not a url'], 'smart.endpointOrigins[1]'],
      ['https://login.example.org', 'smart.endpointOrigins'],
    ] as const) {
      const result = validateConfig({ ...sample, smart: { ...(sample['smart'] as object), endpointOrigins: value } });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors[0]).toMatch(new RegExp(`^${field.replace(/[[\].]/g, '\\$&')}: expected `));
    }
    const local = validateConfig({
      ...sample,
      smart: { ...(sample['smart'] as object), endpointOrigins: ['http://localhost:9000'] },
    });
    expect(local.ok && local.config.smart.endpointOrigins).toEqual(['http://localhost:9000']);
    const none = validateConfig(sample);
    expect(none.ok && none.config.smart.endpointOrigins).toEqual([]);
  });
});

describe('device and session time limits', () => {
  test('defaults: the kept copy stays 30 days after the last sign-in; 30 minutes idle on an own device, 10 on a shared one', () => {
    const result = validateConfig(sample);
    expect(result.ok && result.config.device).toEqual({ keepDays: 30 });
    expect(result.ok && result.config.session).toEqual({ idleMinutes: { own: 30, shared: 10 } });
  });

  test('set by the clinic', () => {
    const raw = clone();
    raw['device'] = { keepDays: 7 };
    raw['session'] = { idleMinutes: { own: 20, shared: 5 } };
    const result = validateConfig(raw);
    expect(result.ok && [result.config.device.keepDays, result.config.session.idleMinutes]).toEqual([
      7,
      { own: 20, shared: 5 },
    ]);
  });

  test('out of range or misspelt: named, with what is expected', () => {
    const raw = clone();
    raw['device'] = { keepDays: 0 };
    // The warning comes 2 minutes before the end, so a limit is at least 3 minutes.
    raw['session'] = { idleMinutes: { own: 2, shared: 'ten' }, idle: 5 };
    const errors = errorsOf(raw);
    expect(errors).toContain('device.keepDays: expected a whole number from 1 to 365 (got 0).');
    expect(errors).toContain('session.idleMinutes.own: expected a whole number from 3 to 720 (got 2).');
    expect(errors).toContain('session.idleMinutes.shared: expected a whole number from 3 to 720 (got "ten").');
    expect(errors).toContainEqual(expect.stringMatching(/^session\.idle: unknown field/));
  });
});
