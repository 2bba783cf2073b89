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
