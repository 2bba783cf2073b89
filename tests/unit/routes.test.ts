import { describe, expect, test } from 'vitest';
import { pathFor, routeFromPath, ROUTES } from '../../src/lib/routes.ts';

describe('routes', () => {
  test('the same path in both languages', () => {
    expect(pathFor('en', 'resultView')).toBe('/en/results/view/');
    expect(pathFor('es', 'resultView')).toBe('/es/results/view/');
    expect(pathFor('es', 'home')).toBe('/es/');
  });
  test('a pathname maps back to its route', () => {
    expect(routeFromPath('/es/messages/thread/')).toEqual({ lang: 'es', id: 'thread' });
    expect(routeFromPath('/en/index.html')).toEqual({ lang: 'en', id: 'home' });
    expect(routeFromPath('/en/nowhere/')).toBeUndefined();
    expect(routeFromPath('/')).toBeUndefined();
  });
  test('every route has a distinct path', () => {
    const paths = Object.values(ROUTES);
    expect(new Set(paths).size).toBe(paths.length);
  });
});
