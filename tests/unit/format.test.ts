import { describe, expect, test } from 'vitest';
import {
  capitalize,
  fill,
  formatDate,
  formatHours,
  formatNumber,
  formatPhone,
  plural,
  telHref,
} from '../../src/lib/i18n/format.ts';
import { preferredLang, otherLang, isLang } from '../../src/lib/i18n/langs.ts';

/** ICU versions differ in spaces and in "a. m." vs "a.m."; compare the words. */
const norm = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ').replace(/([ap])\. m\./g, '$1.m.');

const en = { dayRange: '{{from}} to {{to}}', line: '{{days}}: {{opens}} to {{closes}}' };
const es = { dayRange: 'de {{from}} a {{to}}', line: '{{days}}: de {{opens}} a {{closes}}' };

describe('fill', () => {
  test('fills placeholders and leaves unknown ones visible', () => {
    expect(fill('Hello {{name}}, {{ count }} new', { name: 'Adán', count: 2 })).toBe('Hello Adán, 2 new');
    expect(fill('{{missing}}')).toBe('{{missing}}');
  });
  test('values are text, never re-interpreted', () => {
    expect(fill('{{a}}', { a: '{{b}}', b: 'x' })).toBe('{{b}}');
  });
});

describe('plural', () => {
  const enForms = { one: '{{count}} new result', other: '{{count}} new results' };
  const esForms = {
    one: '{{count}} resultado nuevo',
    many: '{{count}} de resultados nuevos',
    other: '{{count}} resultados nuevos',
  };
  test('English one/other', () => {
    expect(plural('en', enForms, 1)).toBe('1 new result');
    expect(plural('en', enForms, 0)).toBe('0 new results');
    expect(plural('en', enForms, 1200)).toBe('1,200 new results');
  });
  test('Spanish one/many/other through Intl.PluralRules', () => {
    expect(plural('es', esForms, 1)).toBe('1 resultado nuevo');
    expect(plural('es', esForms, 3)).toBe('3 resultados nuevos');
    expect(plural('es', esForms, 1_000_000)).toBe('1,000,000 de resultados nuevos');
  });
});

describe('numbers and dates', () => {
  test('numbers follow en-US and es-US', () => {
    expect(formatNumber('en', 1234.5)).toBe('1,234.5');
    expect(formatNumber('es', 1234.5)).toBe('1,234.5');
    expect(norm(formatNumber('es', 0.5, { style: 'percent' }))).toMatch(/^50 ?%$/);
  });
  test('dates in words', () => {
    const date = new Date(Date.UTC(2026, 10, 23, 12));
    expect(formatDate('en', date, { dateStyle: 'long', timeZone: 'UTC' })).toBe('November 23, 2026');
    expect(formatDate('es', date, { dateStyle: 'long', timeZone: 'UTC' })).toBe('23 de noviembre de 2026');
  });
});

describe('phone numbers', () => {
  test('US numbers are written the way people read them', () => {
    expect(formatPhone('+15550100123')).toBe('(555) 010-0123');
    expect(telHref('+15550100123')).toBe('tel:+15550100123');
  });
  test('other countries keep the international form', () => {
    expect(formatPhone('+525512345678')).toBe('+525512345678');
  });
});

describe('opening hours', () => {
  const hours = [
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, opens: '08:00', closes: '17:00' },
    { days: ['sat'] as const, opens: '09:00', closes: '12:30' },
    { days: ['fri', 'mon', 'wed'] as const, opens: '18:00', closes: '20:00' },
  ].map((h) => ({ ...h, days: [...h.days] }));
  test('English', () => {
    expect(formatHours('en', hours, en).map(norm)).toEqual([
      'Monday to Friday: 8:00 AM to 5:00 PM',
      'Saturday: 9:00 AM to 12:30 PM',
      'Monday, Wednesday, and Friday: 6:00 PM to 8:00 PM',
    ]);
  });
  test('Spanish', () => {
    expect(formatHours('es', hours, es).map(norm)).toEqual([
      'De lunes a viernes: de 8:00 a.m. a 5:00 p.m.',
      'Sábado: de 9:00 a.m. a 12:30 p.m.',
      'Lunes, miércoles y viernes: de 6:00 p.m. a 8:00 p.m.',
    ]);
  });
  test('two days in a row are listed, not a range', () => {
    expect(formatHours('en', [{ days: ['sat', 'sun'], opens: '10:00', closes: '14:00' }], en).map(norm)).toEqual([
      'Saturday and Sunday: 10:00 AM to 2:00 PM',
    ]);
  });
});

describe('languages', () => {
  test('the browser preference picks a language, else the fallback', () => {
    expect(preferredLang(['es-MX', 'en-US'], 'en')).toBe('es');
    expect(preferredLang(['de-DE', 'EN-gb'], 'es')).toBe('en');
    expect(preferredLang(['fr'], 'es')).toBe('es');
    expect(preferredLang([], 'en')).toBe('en');
  });
  test('helpers', () => {
    expect(otherLang('en')).toBe('es');
    expect(isLang('es')).toBe(true);
    expect(isLang('ES')).toBe(false);
    expect(capitalize('sábado', 'es')).toBe('Sábado');
  });
});
