/** The pages `npm run bench` measures: every page in both languages, plus the chooser and the bilingual 404. */
import { LANGS, type Lang } from '../../../src/lib/i18n/langs.ts';
import { ROUTES, type RouteId } from '../../../src/lib/routes.ts';

export interface BenchPage {
  name: string;
  /** The built file in dist/ (for the static weights and Lighthouse). */
  file: string;
  /** The address Lighthouse and a signed-out visit open. */
  shellPath: string;
  lang?: Lang;
  route?: RouteId;
  /** Opened signed in (the page's islands load) or, for public pages, signed out. */
  signedIn: boolean;
  /** For pages showing one thing (`?id=`): which sample id to add. */
  needs?: 'result' | 'thread';
  /** What shows when the patient's data is on screen (pages that show patient data). */
  data?: string;
}

/** The first sign that a page shows the patient's data (the benchmark's "time to patient data"). */
export const DATA_SELECTORS: Partial<Record<RouteId, string>> = {
  home: '[data-state="signed-in"]',
  results: '[data-state="results"] .result-row, [data-state="empty"]',
  resultView: '[data-state="result"]',
  messages: '[data-state="inbox"] .thread-row, [data-state="empty"]',
  thread: '[data-state="thread"] .message',
  newMessage: '[data-state="compose"]',
  callMe: '[data-state="compose"]',
};

const PUBLIC: RouteId[] = ['signIn'];

export function benchPages(): BenchPage[] {
  return [
    { name: '/ (chooser)', file: 'index.html', shellPath: '/?choose', signedIn: false },
    { name: '/404.html', file: '404.html', shellPath: '/404.html', signedIn: false },
    ...LANGS.flatMap((lang) =>
      (Object.keys(ROUTES) as RouteId[]).map((route): BenchPage => {
        const data = DATA_SELECTORS[route];
        const needs = route === 'resultView' ? 'result' : route === 'thread' ? 'thread' : undefined;
        return {
          name: `${lang} ${route}`,
          file: `${lang}/${ROUTES[route]}index.html`,
          shellPath: `/${lang}/${ROUTES[route]}`,
          lang,
          route,
          signedIn: !PUBLIC.includes(route),
          ...(needs ? { needs } : {}),
          ...(data ? { data } : {}),
        };
      }),
    ),
  ];
}
