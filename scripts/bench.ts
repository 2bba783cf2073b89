/**
 * `npm run bench`: builds Clara, then prints, for every page in every
 * language, the bytes a first visit downloads (HTML, CSS, JS; raw, gzip,
 * brotli), checks them against bench/budgets.json, writes
 * reports/bench.json, and exits non-zero when a page is over budget.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { LANGS } from '../src/lib/i18n/langs.ts';
import { ROUTES, type RouteId } from '../src/lib/routes.ts';
import { pageWeight, type PageWeight } from './lib/page-weight.ts';
import { buildSite } from './lib/run.ts';

const DIST = 'dist';
const budgets = JSON.parse(readFileSync('bench/budgets.json', 'utf8')) as { firstVisitBytes: number; javascriptBytesPerPage: number };

if (!process.argv.includes('--no-build') && buildSite() !== 0) process.exit(1);

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const pages: { name: string; path: string; file: string }[] = [
  { name: '/ (chooser)', path: '/', file: 'index.html' },
  { name: '/404.html', path: '/404.html', file: '404.html' },
  ...LANGS.flatMap((lang) =>
    (Object.keys(ROUTES) as RouteId[]).map((id) => ({ name: `${lang} ${id}`, path: `/${lang}/${ROUTES[id]}`, file: `${lang}/${ROUTES[id]}index.html` })),
  ),
];

interface Row {
  name: string;
  path: string;
  weight: PageWeight;
  over: string[];
}

const rows: Row[] = pages.map(({ name, path, file }) => {
  const weight = pageWeight(DIST, file);
  const over: string[] = [];
  if (weight.total.brotli > budgets.firstVisitBytes) over.push(`first visit ${kb(weight.total.brotli)} KB > ${kb(budgets.firstVisitBytes)} KB`);
  if (weight.js.brotli > budgets.javascriptBytesPerPage) over.push(`JS ${kb(weight.js.brotli)} KB > ${kb(budgets.javascriptBytesPerPage)} KB`);
  return { name, path, weight, over };
});

const header = ['page', 'HTML raw/gz/br', 'CSS raw/gz/br', 'JS raw/gz/br', 'first visit br', 'files', 'budget'];
const table = rows.map(({ name, weight, over }) => [
  name,
  `${weight.html.raw} / ${weight.html.gzip} / ${weight.html.brotli}`,
  `${weight.css.raw} / ${weight.css.gzip} / ${weight.css.brotli}`,
  `${weight.js.raw} / ${weight.js.gzip} / ${weight.js.brotli}`,
  `${kb(weight.total.brotli)} KB`,
  String(weight.files.length + 1),
  over.length ? `OVER: ${over.join('; ')}` : 'ok',
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => (r[i] ?? '').length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
console.log(`\nBytes a first visit downloads (brotli, as a phone receives them; budgets: first visit ≤ ${kb(budgets.firstVisitBytes)} KB, JS ≤ ${kb(budgets.javascriptBytesPerPage)} KB)\n`);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of table) console.log(line(r));

mkdirSync('reports', { recursive: true });
writeFileSync(
  'reports/bench.json',
  JSON.stringify({ budgets, pages: rows.map(({ name, path, weight, over }) => ({ name, path, ...weight, over })) }, null, 2),
);
const failing = rows.filter((r) => r.over.length);
console.log(`\nWrote reports/bench.json. ${failing.length ? `${failing.length} page(s) over budget.` : 'Every page is within budget.'}`);
process.exit(failing.length ? 1 : 0);
