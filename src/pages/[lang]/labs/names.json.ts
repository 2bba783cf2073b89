/** Every test's plain name (/en/labs/names.json), fetched by the result page when it shows a panel. */
import type { APIRoute } from 'astro';
import config from 'virtual:clara/config';
import { glossaryNames } from '../../../lib/glossary.ts';
import { pageLang } from '../../../lib/pages.ts';

export function getStaticPaths() {
  return config.languages.map((lang) => ({ params: { lang } }));
}

export const GET: APIRoute = ({ params }) =>
  new Response(JSON.stringify(glossaryNames(pageLang(params['lang']))), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
