/**
 * The whole glossary of a language (/en/labs/glossary.json): every test's
 * entry by canonical LOINC code. One file, so that no request names the test
 * a patient opened; the service worker precaches it.
 */
import type { APIRoute } from 'astro';
import config from 'virtual:clara/config';
import { glossaryFile } from '../../../lib/glossary.ts';
import { pageLang } from '../../../lib/pages.ts';

export function getStaticPaths() {
  return config.languages.map((lang) => ({ params: { lang } }));
}

export const GET: APIRoute = ({ params }) =>
  new Response(JSON.stringify(glossaryFile(pageLang(params['lang']))), {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
