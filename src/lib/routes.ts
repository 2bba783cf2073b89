/**
 * Every page of Clara, by id. Paths are the same in both languages
 * (`/en/results/`, `/es/results/`) so the language switch keeps the patient
 * on the same page.
 */
import type { Lang } from './i18n/langs.ts';

export const ROUTES = {
  home: '',
  signIn: 'sign-in/',
  results: 'results/',
  resultView: 'results/view/',
  messages: 'messages/',
  thread: 'messages/thread/',
  newMessage: 'messages/new/',
  callMe: 'messages/call-me/',
  settings: 'settings/',
  help: 'help/',
  /** The printable invitation a clinic hands out (linked from Help, for staff). */
  invite: 'invite/',
  offline: 'offline/',
  notFound: '404/',
} as const;

export type RouteId = keyof typeof ROUTES;

/** The site's base path ("/" unless the clinic serves Clara from a sub-folder). */
const BASE = (import.meta.env?.BASE_URL ?? '/').replace(/\/?$/, '/');

/** The language's glossary folder (/en/labs/): it holds glossary.json, the whole glossary. */
export function glossaryPath(lang: Lang): string {
  return `${BASE}${lang}/labs/`;
}

export function pathFor(lang: Lang, id: RouteId): string {
  return `${BASE}${lang}/${ROUTES[id]}`;
}

/** The root language chooser. */
export function rootPath(): string {
  return BASE;
}

/** Which route a pathname belongs to (for the language switch and navigation). */
export function routeFromPath(pathname: string): { lang: string; id: RouteId } | undefined {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname.replace(/^\//, '');
  const match = /^([a-z]{2})\/(.*)$/.exec(rest);
  if (!match) return undefined;
  const [, lang = '', tail = ''] = match;
  const path = tail.replace(/index\.html$/, '');
  const id = (Object.keys(ROUTES) as RouteId[]).find((key) => ROUTES[key] === path);
  return id ? { lang, id } : undefined;
}
