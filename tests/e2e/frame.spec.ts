/**
 * The first screen belongs to the content (design principle 7): on a
 * 360×740 phone the top of each page's own content (the first thing in
 * <main>, normally its <h1>) starts at most 160 px down at Standard text and
 * 260 px at Extra large, in both languages, signed in and out, on every page.
 *
 * Each test measures every page of one language × sign-in state × text size,
 * writes the numbers to reports/frame/*.json (attached to the test too) and
 * fails over the limits. A whose-record line (a caregiver sees "Pedro's
 * information · you are signed in as Ana (daughter)", issue 14) is faked in
 * its slot to prove the frame leaves room for it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './support/test.ts';
import { signIn, signInAsCaregiver } from './support/clara.ts';
import { BASE_URL } from './support/env.ts';
import { PAGES, type PageCase } from './support/pages.ts';

const LIMIT = { standard: 160, xl: 260 } as const;
type Size = keyof typeof LIMIT;

export interface Measure {
  page: string;
  /** Measured with issue 14's whose-record line as the first line of <main>. */
  caregiver?: true;
  /** Top of the first element <main> shows (a hidden or empty wrapper does not count). */
  content: number;
  /** Top of the page's own visible <h1> (null where it is visually hidden, as on the bilingual 404). */
  h1: number | null;
  /** Bottom of the frame: where <main> starts. */
  frame: number;
}

/** Where the page's content starts, in CSS px from the top of the page. */
export async function measureTop(page: Page, name: string): Promise<Measure> {
  await expect(page.locator('main h1').locator('visible=true').first()).toBeVisible();
  return page.evaluate((pageName) => {
    const main = document.querySelector('main');
    if (!main) throw new Error('no <main>');
    const top = (el: Element) => Math.round(el.getBoundingClientRect().top + scrollY);
    const shown = (el: Element) => {
      const box = el.getBoundingClientRect();
      return box.height > 0 && !el.closest('.visually-hidden') && getComputedStyle(el).visibility !== 'hidden';
    };
    // The first element child (recursively through wrappers that only hold others) that shows something.
    let first: Element | undefined;
    for (let el = main.firstElementChild; el && !first; el = el.nextElementSibling) if (shown(el)) first = el;
    const h1 = [...main.querySelectorAll('h1')].find(shown);
    return { page: pageName, content: first ? top(first) : -1, h1: h1 ? top(h1) : null, frame: top(main) };
  }, name);
}

async function setTextSize(page: Page, size: Size): Promise<void> {
  await page.addInitScript(
    ({ value, origin }) => {
      if (location.origin !== origin) return;
      if (value === 'xl') {
        localStorage.setItem('clara.textSize', 'xl');
        localStorage.setItem('clara.theme', 'dark');
      } else localStorage.removeItem('clara.textSize');
    },
    { value: size, origin: BASE_URL },
  );
}

function report(file: string, rows: Measure[]): string {
  mkdirSync('reports/frame', { recursive: true });
  const json = JSON.stringify(rows, null, 1);
  writeFileSync(`reports/frame/${file}.json`, json);
  return json;
}

/**
 * Issue 14's line for a caregiver, in its slot (the first line of <main>, see
 * layouts/Base.astro), long and in Spanish: the frame must leave it room.
 * It is content, so with it the content starts at the line, and the <h1> follows it.
 */
const WHOSE_RECORD = 'Información de Pedro Hernández Gutiérrez · usted inició sesión como Ana María (hija)';

async function addWhoseRecord(page: Page): Promise<void> {
  await page.evaluate((text) => {
    const line = Object.assign(document.createElement('p'), { className: 'whose-record', textContent: text });
    document.querySelector('main')?.prepend(line);
  }, WHOSE_RECORD);
}

function expectWithin(rows: Measure[], limit: number): void {
  const over = rows.filter(
    (r) => r.content < 0 || r.content > limit || (r.h1 !== null && r.h1 > limit && !r.caregiver),
  );
  expect(over, `content starts further down than ${limit}px`).toEqual([]);
}

test.describe('the content starts on the first screen (360×740)', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  for (const lang of ['en', 'es'] as const) {
    const pages = PAGES.filter((p) => p.lang === lang);
    for (const signedIn of [false, true]) {
      for (const size of ['standard', 'xl'] as const) {
        const state = signedIn ? 'signed in' : 'signed out';
        test(`${lang}, ${state}, ${size} text: every page within ${LIMIT[size]} px`, async ({ page }, testInfo) => {
          test.slow();
          await setTextSize(page, size);
          if (signedIn) await signIn(page, lang, 'Margaret Olsen', { axe: false });
          const rows: Measure[] = [];
          for (const pageCase of pages) {
            await page.goto(pageCase.path);
            if (signedIn) await expect(page.locator('html')).toHaveAttribute('data-signed-in', '');
            if (size === 'xl') await expect(page.locator('body')).toHaveCSS('font-size', '30px');
            rows.push(await measureTop(page, pageCase.name));
            if (signedIn) {
              await addWhoseRecord(page);
              rows.push({ ...(await measureTop(page, `${pageCase.name} + caregiver line`)), caregiver: true });
            }
          }
          const json = report(`${lang}-${signedIn ? 'in' : 'out'}-${size}`, rows);
          await testInfo.attach('heights', { body: json, contentType: 'application/json' });
          expectWithin(rows, LIMIT[size]);
        });
      }
    }
  }

  // A real caregiver (issue 14): Lucía signed in for her father, her line on every page, as site.ts writes it.
  for (const lang of ['en', 'es'] as const) {
    for (const size of ['standard', 'xl'] as const) {
      test(`${lang}, a caregiver signed in, ${size} text: her line first, every page within ${LIMIT[size]} px`, async ({
        page,
      }, testInfo) => {
        test.slow();
        await setTextSize(page, size);
        await signInAsCaregiver(
          page,
          lang,
          'Lucía Portillo Cantú',
          lang === 'en' ? 'Adán Portillo (father)' : 'Adán Portillo (padre)',
        );
        const rows: Measure[] = [];
        for (const pageCase of PAGES.filter((p) => p.lang === lang)) {
          await page.goto(pageCase.path);
          await expect(page.locator('main > .whose-record')).toBeVisible();
          rows.push({ ...(await measureTop(page, `${pageCase.name} (caregiver)`)), caregiver: true });
        }
        const json = report(`${lang}-caregiver-${size}`, rows);
        await testInfo.attach('heights', { body: json, contentType: 'application/json' });
        expectWithin(rows, LIMIT[size]);
      });
    }
  }

  for (const size of ['standard', 'xl'] as const) {
    test(`the bilingual pages, ${size} text: within ${LIMIT[size]} px`, async ({ page }, testInfo) => {
      await setTextSize(page, size);
      const rows: Measure[] = [];
      for (const pageCase of PAGES.filter((p: PageCase) => p.lang === 'mul')) {
        await page.goto(pageCase.path);
        rows.push(await measureTop(page, pageCase.name));
      }
      const json = report(`bilingual-${size}`, rows);
      await testInfo.attach('heights', { body: json, contentType: 'application/json' });
      expectWithin(rows, LIMIT[size]);
    });
  }
});
