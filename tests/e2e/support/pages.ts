/**
 * The one list of Clara's pages that drives the e2e matrix: every route in
 * every language, plus the two bilingual pages.
 */
import { LANGS, type Lang } from '../../../src/lib/i18n/langs.ts';
import { ROUTES, type RouteId } from '../../../src/lib/routes.ts';

export interface PageCase {
  name: string;
  path: string;
  lang: Lang | 'mul';
  route?: RouteId;
  /** HTTP status the host answers with. */
  status: number;
}

export const ROUTE_IDS = Object.keys(ROUTES) as RouteId[];

export const PAGES: PageCase[] = [
  ...LANGS.flatMap((lang) =>
    ROUTE_IDS.map((route) => ({
      name: `${lang} ${route}`,
      path: `/${lang}/${ROUTES[route]}`,
      lang,
      route,
      status: 200,
    })),
  ),
  // `?choose` keeps the chooser on screen instead of moving on to a language.
  { name: 'language chooser', path: '/?choose', lang: 'mul', status: 200 },
  { name: 'bilingual 404', path: '/no-such-page/', lang: 'mul', status: 404 },
];

/**
 * Pages in a state a journey reaches, for the same matrix: "Open your saved
 * information" where a locked copy is kept on the device (`clara.vault`,
 * src/lib/store/flag.ts), by PIN and by screen lock, in both languages.
 */
export interface StateCase extends PageCase {
  /** localStorage to set before the page loads. */
  storage: Record<string, string>;
}

const lockedUntilTomorrow = (lock: 'pin' | 'key') => ({ 'clara.vault': `${lock}.${Date.now() + 86_400_000}` });

export const LOCKED_PAGES: StateCase[] = LANGS.flatMap((lang) =>
  (
    [
      ['home', 'pin'],
      ['results', 'pin'],
      ['thread', 'pin'],
      ['resultView', 'key'],
      ['messages', 'key'],
    ] as const
  ).map(([route, lock]) => ({
    name: `${lang} ${route}, locked copy (${lock})`,
    path: `/${lang}/${ROUTES[route]}`,
    lang,
    route,
    status: 200,
    storage: lockedUntilTomorrow(lock),
  })),
);
