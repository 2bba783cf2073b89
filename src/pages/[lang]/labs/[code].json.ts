/** One glossary entry as JSON (/en/labs/2345-7.json), fetched by the result page when it needs it. */
import type { APIRoute } from 'astro';
import config from 'virtual:clara/config';
import { glossaryCodes, glossaryEntry } from '../../../lib/glossary.ts';
import { pageLang } from '../../../lib/pages.ts';

export function getStaticPaths() {
  return config.languages.flatMap((lang) => glossaryCodes().map((code) => ({ params: { lang, code } })));
}

export const GET: APIRoute = ({ params }) => {
  const entry = glossaryEntry(pageLang(params['lang']), String(params['code']));
  return new Response(JSON.stringify(entry ?? null), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
};
