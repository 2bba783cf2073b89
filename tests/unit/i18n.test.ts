import { describe, expect, test } from 'vitest';
import { pick, pluralForms, useT } from '../../src/lib/i18n/index.ts';

describe('t()', () => {
  test('looks up common keys bare and others by namespace', () => {
    expect(useT('en')('nav.home')).toBe('Home');
    expect(useT('es')('nav.home')).toBe('Inicio');
    expect(useT('es')('results:view.title')).toBe('Resultado');
  });

  test('fills placeholders without HTML-escaping (output is always text)', () => {
    expect(useT('en')('home:heading', { clinic: 'Smith & <Sons>' })).toBe('Welcome to Smith & <Sons>');
  });

  test('plurals follow each language', () => {
    expect(useT('en')('messages:replyTime', { count: 1 })).toBe('They usually answer within 1 weekday.');
    expect(useT('en')('messages:replyTime', { count: 3 })).toBe('They usually answer within 3 weekdays.');
    expect(useT('es')('messages:replyTime', { count: 1 })).toBe('Suelen responder en 1 día hábil.');
    expect(useT('es')('messages:replyTime', { count: 2 })).toBe('Suelen responder en 2 días hábiles.');
  });

  test('a missing key throws at build time instead of showing the key', () => {
    // @ts-expect-error: not a key; the type check refuses it too.
    expect(() => useT('en')('nav.nope')).toThrow(/Missing translation: nav.nope/);
  });

  test('pick() and pluralForms() hand islands finished strings', () => {
    expect(pick('es', ['nav.results', 'action.tryAgain'])).toEqual({
      'nav.results': 'Resultados',
      'action.tryAgain': 'Intentar de nuevo',
    });
    expect(pluralForms('es', 'messages:replyTime')).toEqual({
      one: 'Suelen responder en {{count}} día hábil.',
      many: 'Suelen responder en {{count}} de días hábiles.',
      other: 'Suelen responder en {{count}} días hábiles.',
    });
  });
});
